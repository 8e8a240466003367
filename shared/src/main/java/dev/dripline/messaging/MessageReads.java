package dev.dripline.messaging;


import dev.dripline.store.PageCursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;


/** Reads of many messages: a contact's conversation, the API's lists, and the scans of recovery and analytics. */
final class MessageReads {

    private static final String CONTACT_INDEX = MessageStore.CONTACT_INDEX;

    private final DynamoDbTable<MessageItem> table;
    private final DynamoDbClient dynamo;
    private final String tableName;

    MessageReads(DynamoDbTable<MessageItem> table, DynamoDbClient dynamo, String tableName) {
        this.table = table;
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    /** One page of a contact's conversation, oldest first; {@code cursor} is the previous page's. */
    MessageStore.Page conversation(String contactId, int limit, String cursor) {
        QueryEnhancedRequest.Builder query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(contactId).build()))
                .scanIndexForward(true).limit(limit);
        if (cursor != null && !cursor.isBlank()) {
            Map<String, AttributeValue> start = PageCursor.decode(cursor, "conversation:" + contactId, java.util.Set.of("id", "contactId", "createdAt"));
            if (!contactId.equals(start.get("contactId").s())) {
                throw dev.dripline.errors.InvalidInput.of("cursor", "belongs to another list");
            }
            query.exclusiveStartKey(start);
        }
        software.amazon.awssdk.enhanced.dynamodb.model.Page<MessageItem> page =
                table.index(CONTACT_INDEX).query(query.build()).iterator().next();
        List<Message> items = page.items().stream().map(MessageItem::toMessage).toList();
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new MessageStore.Page(items, last == null || last.isEmpty() ? null : PageCursor.encode("conversation:" + contactId, last));
    }

    /**
     * {@code GET /v1/messages}: with a contact, a Query of {@value MessageStore#CONTACT_INDEX} (oldest first,
     * the time range in the key condition); without one, a paged Scan with a FilterExpression
     * (in table order, each request evaluating a bounded number of items, so a page may come back
     * short with a cursor). Status, campaign and broadcast are filters on either path.
     */
    dev.dripline.store.Page<Message> list(MessageFilter filter, int limit, String cursor) {
        List<String> conditions = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (filter.status() != null) {
            conditions.add("#status = :status");
            names.put("#status", "status");
            values.put(":status", s(filter.status().wire()));
        }
        if (filter.campaignId() != null) {
            conditions.add("campaignId = :campaign");
            values.put(":campaign", s(filter.campaignId()));
        }
        if (filter.broadcastId() != null) {
            conditions.add("broadcastId = :broadcast");
            values.put(":broadcast", s(filter.broadcastId()));
        }
        // Stored times are Instant.toString(), whose length varies with the fraction of a second:
        // bounds at whole seconds (a prefix sorts before every time of its second) select a
        // superset, and the exact range is checked on each item.
        String range = null;
        if (filter.from() != null) {
            values.put(":from", s(secondPrefix(filter.from())));
            range = "createdAt >= :from";
        }
        if (filter.to() != null) {
            values.put(":to", s(secondPrefix(filter.to().plusSeconds(1).minusNanos(1))));
            range = range == null ? "createdAt < :to" : "createdAt BETWEEN :from AND :to";
        }
        java.util.function.Predicate<Map<String, AttributeValue>> inRange =
                item -> item.containsKey("createdAt") && filter.inRange(Instant.parse(item.get("createdAt").s()));
        java.util.function.Function<Map<String, AttributeValue>, Message> map = item -> MessageItem.SCHEMA.mapToItem(item).toMessage();
        String list = filter.identity();
        if (filter.contactId() != null) {
            values.put(":contact", s(filter.contactId()));
            String keyCondition = "contactId = :contact" + (range == null ? "" : " AND " + range);
            return dev.dripline.store.PagedRead.page(list, java.util.Set.of("id", "contactId", "createdAt"), limit, cursor, start -> {
                QueryRequest.Builder q = QueryRequest.builder().tableName(tableName).indexName(CONTACT_INDEX)
                        .keyConditionExpression(keyCondition).expressionAttributeValues(values)
                        .scanIndexForward(true).limit(dev.dripline.store.PagedRead.READ);
                if (!conditions.isEmpty()) {
                    q.filterExpression(String.join(" AND ", conditions));
                }
                if (!names.isEmpty()) {
                    q.expressionAttributeNames(names);
                }
                if (start != null) {
                    q.exclusiveStartKey(start);
                }
                return dev.dripline.store.PagedRead.Batch.of(dynamo.query(q.build()));
            }, inRange, map);
        }
        if (range != null) {
            conditions.add(range);
        }
        return dev.dripline.store.PagedRead.page(list, java.util.Set.of("id"), limit, cursor, start -> {
            ScanRequest.Builder q = ScanRequest.builder().tableName(tableName).limit(dev.dripline.store.PagedRead.READ);
            if (!conditions.isEmpty()) {
                q.filterExpression(String.join(" AND ", conditions)).expressionAttributeValues(values);
            }
            if (!names.isEmpty()) {
                q.expressionAttributeNames(names);
            }
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            return dev.dripline.store.PagedRead.Batch.of(dynamo.scan(q.build()));
        }, inRange, map);
    }

    /** {@code 2026-12-24T14:30:05}: sorts before every stored time of that second and after those before it. */
    private static String secondPrefix(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace("Z", "");
    }

    /** Every message of a contact, oldest first (the GDPR export). */
    List<Message> allOf(String contactId) {
        return table.index(CONTACT_INDEX).query(QueryEnhancedRequest.builder()
                        .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(contactId).build()))
                        .scanIndexForward(true).build())
                .stream().flatMap(p -> p.items().stream()).map(MessageItem::toMessage).toList();
    }

    /**
     * Outbound messages accepted and never taken by a sender, by a full scan: for the local
     * runtime after a restart on a data directory, whose queues and schedules live in memory.
     * On AWS the queues and EventBridge Scheduler are durable and nothing scans.
     */
    List<Message> acceptedAndUntaken() {
        return table.scan(ScanEnhancedRequest.builder()
                        .filterExpression(Expression.builder()
                                .expression("#status = :accepted AND attribute_not_exists(dispatch) AND direction = :outbound")
                                .putExpressionName("#status", "status")
                                .putExpressionValue(":accepted", AttributeValue.fromS(MessageStatus.ACCEPTED.wire()))
                                .putExpressionValue(":outbound", AttributeValue.fromS(Direction.OUTBOUND.wire()))
                                .build())
                        .build())
                .items().stream().map(MessageItem::toMessage).toList();
    }

    /**
     * Outbound messages a sender claimed and never recorded as handed over (a crash between the
     * claim and the provider's answer): only a provider that can say whether it has them can settle them.
     */
    List<Message> claimedNotHandedOver() {
        return table.scan(ScanEnhancedRequest.builder().consistentRead(true)
                        .filterExpression(Expression.builder()
                                .expression("#status = :accepted AND dispatch = :claimed AND direction = :outbound")
                                .putExpressionName("#status", "status")
                                .putExpressionValue(":accepted", AttributeValue.fromS(MessageStatus.ACCEPTED.wire()))
                                .putExpressionValue(":claimed", AttributeValue.fromS(MessageStore.CLAIMED))
                                .putExpressionValue(":outbound", AttributeValue.fromS(Direction.OUTBOUND.wire()))
                                .build())
                        .build())
                .items().stream().map(MessageItem::toMessage).toList();
    }

    /**
     * The contact's most recent outbound message with an origin created at or after
     * {@code since}: the one a reply or an opt-out is credited to.
     */
    Optional<String> latestWithOrigin(String contactId, Instant since) {
        QueryEnhancedRequest query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortGreaterThanOrEqualTo(Key.builder().partitionValue(contactId)
                        .sortValue(since.toString()).build()))
                .filterExpression(Expression.builder()
                        .expression("direction = :outbound AND (attribute_exists(campaignId) OR attribute_exists(broadcastId))")
                        .putExpressionValue(":outbound", AttributeValue.fromS(Direction.OUTBOUND.wire())).build())
                .scanIndexForward(false).limit(25).build();
        return table.index(CONTACT_INDEX).query(query).stream().flatMap(p -> p.items().stream()).findFirst().map(i -> i.id);
    }

    /**
     * Every message of a campaign (or of a broadcast, when {@code campaignId} is null), by a full
     * scan: for reconciling counters, an operator's command, never a request path.
     */
    List<MessageStore.Counted> scanOrigin(String campaignId, String broadcastId) {
        String attribute = campaignId != null ? "campaignId" : "broadcastId";
        return table.scan(ScanEnhancedRequest.builder().consistentRead(true)
                        .filterExpression(Expression.builder().expression(attribute + " = :id")
                                .putExpressionValue(":id", s(campaignId != null ? campaignId : broadcastId)).build()).build())
                .items().stream()
                .map(i -> new MessageStore.Counted(i.toMessage(), MessageStore.HANDED_OVER.equals(i.dispatch), nz(i.clicks), nz(i.replies), nz(i.optOuts)))
                .toList();
    }

    private static long nz(Long value) {
        return value == null ? 0 : value;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
