package dev.dripline.messaging;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import dev.dripline.store.PageCursor;
import dev.dripline.store.TableShape;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The messages table: one item per message, inbound or outbound, holding its status, its
 * status history and the sender's dispatch claim. Reads and whole-item writes go through the
 * Enhanced Client; the conditional updates that keep a status from moving backwards and a
 * message from being sent twice are single UpdateItem calls with their conditions.
 */
public final class MessageStore {

    static final String CONTACT_INDEX = "byContact";

    /** Dispatch states of an outbound message, set by the sender. */
    public static final String CLAIMED = "claimed";
    public static final String HANDED_OVER = "handed_over";
    public static final String UNKNOWN_OUTCOME = "unknown";
    /** An unknown outcome that nothing settled within the message's validity: no more lookups. */
    public static final String UNKNOWN_FOR_GOOD = "unknown_final";

    static final TableSchema<StatusChangeItem> STATUS_CHANGE = StaticTableSchema.builder(StatusChangeItem.class)
            .newItemSupplier(StatusChangeItem::new)
            .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(String.class, a -> a.name("at").getter(i -> i.at).setter((i, v) -> i.at = v))
            .addAttribute(String.class, a -> a.name("errorCode").getter(i -> i.errorCode).setter((i, v) -> i.errorCode = v))
            .build();

    static final TableSchema<MessageItem> SCHEMA = StaticTableSchema.builder(MessageItem.class)
            .newItemSupplier(MessageItem::new)
            .addAttribute(String.class, a -> a.name("id").getter(i -> i.id).setter((i, v) -> i.id = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("direction").getter(i -> i.direction).setter((i, v) -> i.direction = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v).tags(secondaryPartitionKey(CONTACT_INDEX)))
            .addAttribute(String.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v).tags(secondarySortKey(CONTACT_INDEX)))
            .addAttribute(String.class, a -> a.name("to").getter(i -> i.to).setter((i, v) -> i.to = v))
            .addAttribute(String.class, a -> a.name("from").getter(i -> i.from).setter((i, v) -> i.from = v))
            .addAttribute(String.class, a -> a.name("body").getter(i -> i.body).setter((i, v) -> i.body = v))
            .addAttribute(String.class, a -> a.name("category").getter(i -> i.category).setter((i, v) -> i.category = v))
            .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(Integer.class, a -> a.name("statusRank").getter(i -> i.statusRank).setter((i, v) -> i.statusRank = v))
            .addAttribute(EnhancedType.listOf(EnhancedType.documentOf(StatusChangeItem.class, STATUS_CHANGE)),
                    a -> a.name("history").getter(i -> i.history).setter((i, v) -> i.history = v))
            .addAttribute(String.class, a -> a.name("provider").getter(i -> i.provider).setter((i, v) -> i.provider = v))
            .addAttribute(String.class, a -> a.name("providerMessageId").getter(i -> i.providerMessageId).setter((i, v) -> i.providerMessageId = v))
            .addAttribute(String.class, a -> a.name("encoding").getter(i -> i.encoding).setter((i, v) -> i.encoding = v))
            .addAttribute(Integer.class, a -> a.name("segments").getter(i -> i.segments).setter((i, v) -> i.segments = v))
            .addAttribute(BigDecimal.class, a -> a.name("cost").getter(i -> i.cost).setter((i, v) -> i.cost = v))
            .addAttribute(String.class, a -> a.name("errorCode").getter(i -> i.errorCode).setter((i, v) -> i.errorCode = v))
            .addAttribute(String.class, a -> a.name("dispatch").getter(i -> i.dispatch).setter((i, v) -> i.dispatch = v))
            .addAttribute(String.class, a -> a.name("dispatchedAt").getter(i -> i.dispatchedAt).setter((i, v) -> i.dispatchedAt = v))
            .addAttribute(String.class, a -> a.name("unknownSince").getter(i -> i.unknownSince).setter((i, v) -> i.unknownSince = v))
            .addAttribute(String.class, a -> a.name("sentFrom").getter(i -> i.sentFrom).setter((i, v) -> i.sentFrom = v))
            .addAttribute(String.class, a -> a.name("requestHash").getter(i -> i.requestHash).setter((i, v) -> i.requestHash = v))
            .addAttribute(Instant.class, a -> a.name("sendAt").getter(i -> i.sendAt).setter((i, v) -> i.sendAt = v))
            .addAttribute(Long.class, a -> a.name("expiresAt").getter(i -> i.expiresAt).setter((i, v) -> i.expiresAt = v))
            .addAttribute(Boolean.class, a -> a.name("optOutConfirmation").getter(i -> i.optOutConfirmation).setter((i, v) -> i.optOutConfirmation = v))
            .addAttribute(Boolean.class, a -> a.name("acted").getter(i -> i.acted).setter((i, v) -> i.acted = v))
            .addAttribute(String.class, a -> a.name("campaignId").getter(i -> i.campaignId).setter((i, v) -> i.campaignId = v))
            .addAttribute(Integer.class, a -> a.name("campaignVersion").getter(i -> i.campaignVersion).setter((i, v) -> i.campaignVersion = v))
            .addAttribute(String.class, a -> a.name("stepId").getter(i -> i.stepId).setter((i, v) -> i.stepId = v))
            .addAttribute(String.class, a -> a.name("variant").getter(i -> i.variant).setter((i, v) -> i.variant = v))
            .addAttribute(String.class, a -> a.name("enrolmentId").getter(i -> i.enrolmentId).setter((i, v) -> i.enrolmentId = v))
            .addAttribute(String.class, a -> a.name("broadcastId").getter(i -> i.broadcastId).setter((i, v) -> i.broadcastId = v))
            .addAttribute(Long.class, a -> a.name("clicks").getter(i -> i.clicks).setter((i, v) -> i.clicks = v))
            .addAttribute(Long.class, a -> a.name("replies").getter(i -> i.replies).setter((i, v) -> i.replies = v))
            .addAttribute(Long.class, a -> a.name("optOuts").getter(i -> i.optOuts).setter((i, v) -> i.optOuts = v))
            .build();

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "id", null, List.of(new TableShape.Index(CONTACT_INDEX, "contactId", "createdAt")), "expiresAt");
    }

    private final DynamoDbTable<MessageItem> table;
    private final DynamoDbClient dynamo;
    private final String tableName;

    private final java.time.Duration retention;
    private volatile Transitions transitions = Transitions.NONE;

    /**
     * What happens to outbound messages, told once each: the hand-over to a provider (after the
     * claim, so once per message) and each real change of status (after the conditional write
     * that made it, so a duplicate or out-of-order receipt tells nothing). Analytics listens here.
     */
    public interface Transitions {
        void handedOver(String messageId, Origin origin, Integer segments, BigDecimal cost, Instant at);

        void statusChanged(String messageId, Origin origin, MessageStatus from, MessageStatus to, Instant at);

        Transitions NONE = new Transitions() {
            @Override
            public void handedOver(String messageId, Origin origin, Integer segments, BigDecimal cost, Instant at) {
            }

            @Override
            public void statusChanged(String messageId, Origin origin, MessageStatus from, MessageStatus to, Instant at) {
            }
        };
    }

    public void onTransitions(Transitions listener) {
        this.transitions = listener;
    }

    public MessageStore(DynamoDbEnhancedClient client, DynamoDbClient dynamo, String tableName) {
        this(client, dynamo, tableName, SenderSettings.DEFAULT_BODY_RETENTION);
    }

    /**
     * @param retention how long a message item is kept after it was created: DynamoDB's TTL on
     *                  {@code expiresAt} removes the whole item (body, status, history) then.
     *                  Statistics must not be read from message items older than this.
     */
    public MessageStore(DynamoDbEnhancedClient client, DynamoDbClient dynamo, String tableName, java.time.Duration retention) {
        this.table = client.table(tableName, SCHEMA);
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.retention = retention;
    }

    /** Stores a new message; fails if the id exists (ids are never reused). */
    public void create(Message m) {
        create(m, null, false);
    }

    /** Stores a new message with the fingerprint of the request that made it (Idempotency-Key). */
    public void create(Message m, String requestHash) {
        create(m, requestHash, false);
    }

    /**
     * Stores a new message, {@code acted} already when it is an inbound message with nothing to
     * act on: one write instead of a create and a later mark.
     */
    public void create(Message m, boolean acted) {
        create(m, null, acted);
    }

    private void create(Message m, String requestHash, boolean acted) {
        MessageItem item = toItem(m, false, expiry(m));
        item.requestHash = requestHash;
        item.acted = acted ? Boolean.TRUE : null;
        table.putItem(PutItemEnhancedRequest.builder(MessageItem.class).item(item)
                .conditionExpression(notExists()).build());
    }

    /**
     * Adds the creation of a message to a transaction (a keyword's reply written with the
     * consent change it confirms). {@code optOutConfirmation} marks the one reply the sender
     * lets through to a number that opted out: the confirmation of that opt-out.
     */
    public void addCreate(TransactWriteItemsEnhancedRequest.Builder tx, Message m, boolean optOutConfirmation) {
        tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(MessageItem.class).item(toItem(m, optOutConfirmation, expiry(m)))
                .conditionExpression(notExists()).build());
    }

    /**
     * A message's creation as a low-level Put (condition: the id is new), for a transaction
     * with another table's write (a campaign send and its frequency-cap count).
     */
    public software.amazon.awssdk.services.dynamodb.model.Put createPut(Message m) {
        return software.amazon.awssdk.services.dynamodb.model.Put.builder().tableName(tableName)
                .item(SCHEMA.itemToMap(toItem(m, false, expiry(m)), true))
                .conditionExpression("attribute_not_exists(id)").build();
    }

    public String tableName() {
        return tableName;
    }

    private static Expression notExists() {
        return Expression.builder().expression("attribute_not_exists(id)").build();
    }

    /** When TTL removes the item: its creation plus the retention (epoch seconds, as TTL wants). */
    private Long expiry(Message m) {
        return m.createdAt().plus(retention).getEpochSecond();
    }

    /** The TTL of a stored message (epoch seconds), for tests and operators. */
    public Optional<Long> expiresAt(String id) {
        return item(id).map(i -> i.expiresAt);
    }

    private static MessageItem toItem(Message m, boolean optOutConfirmation, Long expiresAt) {
        MessageItem item = new MessageItem();
        item.expiresAt = expiresAt;
        item.id = m.id();
        item.direction = m.direction().wire();
        item.contactId = m.contactId();
        item.createdAt = m.createdAt().toString();
        item.to = m.to();
        item.from = m.from();
        item.body = m.body();
        item.category = m.category() == null ? null : m.category().wire();
        item.status = m.status().wire();
        item.statusRank = m.status().rank();
        item.history = new ArrayList<>(m.history().stream().map(StatusChangeItem::of).toList());
        item.provider = m.provider();
        item.providerMessageId = m.providerMessageId();
        item.encoding = m.encoding();
        item.segments = m.segments();
        item.cost = m.cost();
        item.sendAt = m.sendAt();
        item.optOutConfirmation = optOutConfirmation ? Boolean.TRUE : null;
        Origin o = m.origin();
        if (o != null) {
            item.campaignId = o.campaignId();
            item.campaignVersion = o.version();
            item.stepId = o.stepId();
            item.variant = o.variant();
            item.enrolmentId = o.enrolmentId();
            item.broadcastId = o.broadcastId();
        }
        return item;
    }

    /** Marks an inbound message as acted on (its keyword handled), so a redelivery does not act again. */
    public void markActed(String id) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                .updateExpression("SET acted = :true").conditionExpression("attribute_exists(id)")
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))).build());
    }

    public boolean acted(String id) {
        return item(id).map(i -> Boolean.TRUE.equals(i.acted)).orElse(false);
    }

    /** One page of a contact's conversation, oldest first; {@code cursor} is the previous page's. */
    public Page conversation(String contactId, int limit, String cursor) {
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
        return new Page(items, last == null || last.isEmpty() ? null : PageCursor.encode("conversation:" + contactId, last));
    }

    /**
     * {@code GET /v1/messages}: with a contact, a Query of {@value #CONTACT_INDEX} (oldest first,
     * the time range in the key condition); without one, a paged Scan with a FilterExpression
     * (in table order, each request evaluating a bounded number of items, so a page may come back
     * short with a cursor). Status, campaign and broadcast are filters on either path.
     */
    public dev.dripline.store.Page<Message> list(MessageFilter filter, int limit, String cursor) {
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
        java.util.function.Function<Map<String, AttributeValue>, Message> map = item -> SCHEMA.mapToItem(item).toMessage();
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
    public List<Message> allOf(String contactId) {
        return table.index(CONTACT_INDEX).query(QueryEnhancedRequest.builder()
                        .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(contactId).build()))
                        .scanIndexForward(true).build())
                .stream().flatMap(p -> p.items().stream()).map(MessageItem::toMessage).toList();
    }

    /**
     * GDPR erasure of a contact's messages: bodies and both numbers removed, the items kept (with
     * status, category, segments, cost) for statistics. Idempotent.
     *
     * @return how many messages were scrubbed
     */
    public int scrub(String contactId) {
        List<String> ids = table.index(CONTACT_INDEX).query(QueryEnhancedRequest.builder()
                        .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(contactId).build())).build())
                .stream().flatMap(p -> p.items().stream()).map(i -> i.id).toList();
        for (String id : ids) {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("REMOVE body, #to, #from SET erased = :true")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(Map.of("#to", "to", "#from", "from"))
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))).build());
        }
        return ids.size();
    }

    /** A page of messages and the cursor of the next one (null on the last). */
    public record Page(List<Message> items, String nextCursor) {
    }

    public Optional<Message> get(String id) {
        return item(id).map(MessageItem::toMessage);
    }

    /** The fingerprint of the request that created the message, if it came with an Idempotency-Key. */
    public Optional<String> requestHash(String id) {
        return item(id).map(i -> i.requestHash);
    }

    /**
     * Outbound messages accepted and never taken by a sender, by a full scan: for the local
     * runtime after a restart on a data directory, whose queues and schedules live in memory.
     * On AWS the queues and EventBridge Scheduler are durable and nothing scans.
     */
    public List<Message> acceptedAndUntaken() {
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
    public List<Message> claimedNotHandedOver() {
        return table.scan(ScanEnhancedRequest.builder().consistentRead(true)
                        .filterExpression(Expression.builder()
                                .expression("#status = :accepted AND dispatch = :claimed AND direction = :outbound")
                                .putExpressionName("#status", "status")
                                .putExpressionValue(":accepted", AttributeValue.fromS(MessageStatus.ACCEPTED.wire()))
                                .putExpressionValue(":claimed", AttributeValue.fromS(CLAIMED))
                                .putExpressionValue(":outbound", AttributeValue.fromS(Direction.OUTBOUND.wire()))
                                .build())
                        .build())
                .items().stream().map(MessageItem::toMessage).toList();
    }

    /** The message and its dispatch state, for the sender. */
    public Optional<Dispatchable> dispatchable(String id) {
        return item(id).map(i -> new Dispatchable(i.toMessage(), i.dispatch, Boolean.TRUE.equals(i.optOutConfirmation),
                i.dispatchedAt == null ? null : Instant.parse(i.dispatchedAt), i.unknownSince == null ? null : Instant.parse(i.unknownSince),
                i.sentFrom));
    }

    /**
     * A message as the sender sees it: the message, whether a sender already took it, and
     * whether it is an opt-out confirmation (the one message allowed to a number that opted out).
     *
     * @param claimedAt    when the last provider call was claimed (just before it was made)
     * @param unknownSince when that call's outcome was found unknown; null otherwise
     * @param sentFrom     the sender number that call used (null: the provider's default)
     */
    public record Dispatchable(Message message, String dispatch, boolean optOutConfirmation, Instant claimedAt, Instant unknownSince,
                               String sentFrom) {

        public Dispatchable(Message message, String dispatch, boolean optOutConfirmation) {
            this(message, dispatch, optOutConfirmation, null, null, null);
        }
    }

    private Optional<MessageItem> item(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(table.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(id).build()).consistentRead(true).build()));
    }

    /**
     * Takes the message for one provider call. Only one caller ever wins, however many workers
     * race or however often the queue redelivers: the claim stays after the call.
     */
    public boolean claim(String id, Instant now) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("SET dispatch = :claimed, dispatchedAt = :now")
                    .conditionExpression("attribute_exists(id) AND attribute_not_exists(dispatch)")
                    .expressionAttributeValues(Map.of(":claimed", s(CLAIMED), ":now", s(now.toString())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    /** Gives the claim back after a provider said, before taking it, that it did not send. */
    public void release(String id) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("REMOVE dispatch")
                    .conditionExpression("dispatch = :claimed")
                    .expressionAttributeValues(Map.of(":claimed", s(CLAIMED)))
                    .build());
        } catch (ConditionalCheckFailedException notOurs) {
            // Someone else already settled it: nothing to give back.
        }
    }

    /**
     * Records a provider's acceptance: its id, parts and price, and the status {@code queued}.
     * One conditional write in the usual case (the status still below {@code queued}); when a
     * receipt already moved it on, the dispatch fields and the history entry are written apart.
     */
    public void handedOver(String id, String provider, String providerMessageId, Integer parts, BigDecimal cost, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":dispatch", s(HANDED_OVER));
        values.put(":provider", s(provider));
        values.put(":pid", s(providerMessageId));
        StringBuilder set = new StringBuilder("SET dispatch = :dispatch, provider = :provider, providerMessageId = :pid");
        if (parts != null) {
            set.append(", #segments = :parts");
            values.put(":parts", AttributeValue.fromN(parts.toString()));
        }
        if (cost != null) {
            set.append(", #cost = :cost");
            values.put(":cost", AttributeValue.fromN(cost.toPlainString()));
        }
        String reportKey = "sender:" + providerMessageId;
        Map<String, AttributeValue> together = new HashMap<>(values);
        together.put(":change", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                "status", s(MessageStatus.QUEUED.wire()), "at", s(at.toString()))))));
        together.put(":empty", AttributeValue.fromL(List.of()));
        together.put(":report", AttributeValue.fromSs(List.of(reportKey)));
        together.put(":reportKey", s(reportKey));
        together.put(":status", s(MessageStatus.QUEUED.wire()));
        together.put(":rank", AttributeValue.fromN(Integer.toString(MessageStatus.QUEUED.rank())));
        String all = set + ", #status = :status, statusRank = :rank, history = list_append(if_not_exists(history, :empty), :change)";
        Map<String, String> allNames = new HashMap<>(Map.of("#status", "status"));
        Map<String, String> setNames = names(set);
        if (setNames != null) {
            allNames.putAll(setNames);
        }
        try {
            Map<String, AttributeValue> old = dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression(all + " ADD reports :report")
                    .conditionExpression("attribute_exists(id) AND NOT contains(reports, :reportKey) AND statusRank < :rank")
                    .expressionAttributeNames(allNames)
                    .expressionAttributeValues(together)
                    .returnValues(ReturnValue.ALL_OLD).build()).attributes();
            Map<String, AttributeValue> merged = new HashMap<>(old);
            if (parts != null) {
                merged.put("segments", AttributeValue.fromN(parts.toString()));
            }
            if (cost != null) {
                merged.put("cost", AttributeValue.fromN(cost.toPlainString()));
            }
            tellHandedOver(id, merged, at);
            if (old.containsKey("status") && MessageStatus.UNKNOWN.wire().equals(old.get("status").s())) {
                // A send after a lookup proved the first one lost, or the lookup found it: unknown is settled.
                tellStatusChanged(id, old, MessageStatus.UNKNOWN, MessageStatus.QUEUED, at);
            }
            return;
        } catch (ConditionalCheckFailedException movedOn) {
            // A receipt came first (or this was recorded already): the two-step path below.
        }
        Map<String, AttributeValue> now = dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                .updateExpression(set.toString())
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeNames(setNames)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW).build()).attributes();
        tellHandedOver(id, now, at);
        recordStatus(id, MessageStatus.QUEUED, null, at, reportKey);
    }

    private void tellStatusChanged(String id, Map<String, AttributeValue> old, MessageStatus from, MessageStatus to, Instant at) {
        try {
            transitions.statusChanged(id, origin(old), from, to, at);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(MessageStore.class).error("message {}: status {} not counted ({})", id, to.wire(),
                    e.toString());
        }
    }

    private void tellHandedOver(String id, Map<String, AttributeValue> item, Instant at) {
        try {
            transitions.handedOver(id, origin(item), item.containsKey("segments") ? Integer.valueOf(item.get("segments").n()) : null,
                    item.containsKey("cost") ? new BigDecimal(item.get("cost").n()) : null, at);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(MessageStore.class).error("message {}: hand-over not counted ({})", id, e.toString());
        }
    }

    /** The origin kept on a raw message item, or null. */
    private static Origin origin(Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey("campaignId") && !item.containsKey("broadcastId")) {
            return null;
        }
        return new Origin(str(item, "campaignId"), item.containsKey("campaignVersion") ? Integer.valueOf(item.get("campaignVersion").n()) : null,
                str(item, "stepId"), str(item, "variant"), str(item, "enrolmentId"), str(item, "broadcastId"));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    /** Records that the provider call's outcome is unknown (a timeout after the request left). */
    public void outcomeUnknown(String id, String provider, Instant at) {
        outcomeUnknown(id, provider, null, at, "outcome_unknown");
    }

    /**
     * Records that the provider call's outcome is unknown (a timeout, a reset, a 500 after the
     * request left): the dispatch state that makes the sender look it up instead of sending, and
     * the status {@code unknown} with {@code reason} in the history (only over {@code accepted}).
     *
     * @param from the sender number the call used, for the lookup; null: the provider's default
     */
    public void outcomeUnknown(String id, String provider, String from, Instant at, String reason) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":unknown", s(UNKNOWN_OUTCOME), ":provider", s(provider),
                ":at", s(at.toString())));
        String set = "SET dispatch = :unknown, provider = :provider, unknownSince = :at";
        if (from != null) {
            set += ", sentFrom = :from";
            values.put(":from", s(from));
        }
        dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                .updateExpression(set)
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeValues(values)
                .build());
        recordStatus(id, MessageStatus.UNKNOWN, reason, at, "sender:unknown:" + at);
    }

    /**
     * Gives an unknown outcome's claim back once the provider's records prove the call sent
     * nothing; only one caller wins, so only one sends again.
     */
    public boolean notSentAfterAll(String id) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("REMOVE dispatch, unknownSince")
                    .conditionExpression("dispatch = :unknown")
                    .expressionAttributeValues(Map.of(":unknown", s(UNKNOWN_OUTCOME)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException settled) {
            return false;
        }
    }

    /**
     * Ends the lookups of an unknown outcome that nothing settled within the message's validity:
     * the status stays {@code unknown} (a late receipt still moves it), the history says why.
     */
    public boolean unknownForGood(String id, Instant at, String reason) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("SET dispatch = :final")
                    .conditionExpression("dispatch = :unknown")
                    .expressionAttributeValues(Map.of(":unknown", s(UNKNOWN_OUTCOME), ":final", s(UNKNOWN_FOR_GOOD)))
                    .build());
        } catch (ConditionalCheckFailedException settled) {
            return false;
        }
        recordStatus(id, MessageStatus.UNKNOWN, reason, at, "sender:unknown-final");
        return true;
    }

    /**
     * Records a status report once per {@code reportKey}: appended to the history, and made the
     * current status only if it ranks above the current one (a late {@code sent} after
     * {@code delivered} stays in the history only).
     *
     * @return false if the message does not exist or this report was already recorded
     */
    public boolean recordStatus(String id, MessageStatus status, String errorCode, Instant at, String reportKey) {
        Map<String, AttributeValue> change = new HashMap<>();
        change.put("status", s(status.wire()));
        change.put("at", s(at.toString()));
        if (errorCode != null) {
            change.put("errorCode", s(errorCode));
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":change", AttributeValue.fromL(List.of(AttributeValue.fromM(change))));
        values.put(":empty", AttributeValue.fromL(List.of()));
        values.put(":report", AttributeValue.fromSs(List.of(reportKey)));
        values.put(":reportKey", s(reportKey));
        values.put(":status", s(status.wire()));
        values.put(":rank", AttributeValue.fromN(Integer.toString(status.rank())));
        String notSeen = "attribute_exists(id) AND NOT contains(reports, :reportKey)";
        String append = "history = list_append(if_not_exists(history, :empty), :change)";
        Map<String, AttributeValue> advanceValues = new HashMap<>(values);
        String advance = "SET #status = :status, statusRank = :rank, " + append;
        // Unknown ranks with accepted and replaces only it; its reason stays in the history, since
        // whatever settles it later would otherwise show that reason as its own error.
        String forward = status == MessageStatus.UNKNOWN ? " AND #status = :accepted" : " AND statusRank < :rank";
        if (status == MessageStatus.UNKNOWN) {
            advanceValues.put(":accepted", s(MessageStatus.ACCEPTED.wire()));
        } else if (errorCode != null) {
            advance += ", errorCode = :error";
            advanceValues.put(":error", s(errorCode));
        }
        try {
            Map<String, AttributeValue> old = dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression(advance + " ADD reports :report")
                    .conditionExpression(notSeen + forward)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(advanceValues)
                    .returnValues(ReturnValue.ALL_OLD).build()).attributes();
            tellStatusChanged(id, old, MessageStatus.fromWire(old.get("status").s()), status, at);
            return true;
        } catch (ConditionalCheckFailedException notForward) {
            // Not a step forward (or not new): keep it in the history only, once.
        }
        values.remove(":status");
        values.remove(":rank");
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("SET " + append + " ADD reports :report")
                    .conditionExpression(notSeen)
                    .expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException seenOrMissing) {
            return false;
        }
    }

    /**
     * Adds one to an engagement counter of an outbound message ({@code clicks}, {@code replies},
     * {@code optOuts}) and answers its origin and the new count (1: the first); empty when the
     * message is gone (expired) or has no origin.
     */
    public Optional<Engaged> engage(String id, String counter, Instant at) {
        if (!List.of("clicks", "replies", "optOuts").contains(counter)) {
            throw new IllegalArgumentException("no engagement counter " + counter);
        }
        try {
            Map<String, AttributeValue> now = dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("ADD #c :one SET lastEngagedAt = :at")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(Map.of("#c", counter))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":at", s(at.toString())))
                    .returnValues(ReturnValue.ALL_NEW).build()).attributes();
            Origin origin = origin(now);
            return origin == null ? Optional.empty() : Optional.of(new Engaged(id, origin, Long.parseLong(now.get(counter).n())));
        } catch (ConditionalCheckFailedException gone) {
            return Optional.empty();
        }
    }

    /** An engagement counted on a message: its origin and how many of that kind it has now. */
    public record Engaged(String messageId, Origin origin, long count) {
    }

    /**
     * The contact's most recent outbound message with an origin created at or after
     * {@code since}: the one a reply or an opt-out is credited to.
     */
    public Optional<String> latestWithOrigin(String contactId, Instant since) {
        QueryEnhancedRequest query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortGreaterThanOrEqualTo(Key.builder().partitionValue(contactId)
                        .sortValue(since.toString()).build()))
                .filterExpression(Expression.builder()
                        .expression("direction = :outbound AND (attribute_exists(campaignId) OR attribute_exists(broadcastId))")
                        .putExpressionValue(":outbound", AttributeValue.fromS(Direction.OUTBOUND.wire())).build())
                .scanIndexForward(false).limit(25).build();
        return table.index(CONTACT_INDEX).query(query).stream().flatMap(p -> p.items().stream()).findFirst().map(i -> i.id);
    }

    /** A message as analytics recount it: the message, whether it was handed to a provider, its engagement counters. */
    public record Counted(Message message, boolean handedOver, long clicks, long replies, long optOuts) {
    }

    /**
     * Every message of a campaign (or of a broadcast, when {@code campaignId} is null), by a full
     * scan: for reconciling counters, an operator's command, never a request path.
     */
    public List<Counted> scanOrigin(String campaignId, String broadcastId) {
        String attribute = campaignId != null ? "campaignId" : "broadcastId";
        return table.scan(ScanEnhancedRequest.builder().consistentRead(true)
                        .filterExpression(Expression.builder().expression(attribute + " = :id")
                                .putExpressionValue(":id", s(campaignId != null ? campaignId : broadcastId)).build()).build())
                .items().stream()
                .map(i -> new Counted(i.toMessage(), HANDED_OVER.equals(i.dispatch), nz(i.clicks), nz(i.replies), nz(i.optOuts)))
                .toList();
    }

    private static long nz(Long value) {
        return value == null ? 0 : value;
    }

    /** SEGMENTS is a DynamoDB reserved word; name the attributes that could ever collide. */
    private static Map<String, String> names(CharSequence expression) {
        Map<String, String> names = new HashMap<>();
        for (String n : List.of("segments", "cost")) {
            if (expression.toString().contains("#" + n)) {
                names.put("#" + n, n);
            }
        }
        return names.isEmpty() ? null : names;
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    /** The stored form of a message. */
    static final class MessageItem {
        String id;
        String direction;
        String contactId;
        String createdAt;
        String to;
        String from;
        String body;
        String category;
        String status;
        Integer statusRank;
        List<StatusChangeItem> history;
        String provider;
        String providerMessageId;
        String encoding;
        Integer segments;
        BigDecimal cost;
        String errorCode;
        String dispatch;
        String dispatchedAt;
        String unknownSince;
        String sentFrom;
        Instant sendAt;
        String requestHash;
        Long expiresAt;
        Boolean optOutConfirmation;
        Boolean acted;
        String campaignId;
        Integer campaignVersion;
        String stepId;
        String variant;
        String enrolmentId;
        String broadcastId;
        Long clicks;
        Long replies;
        Long optOuts;

        Message toMessage() {
            Origin origin = campaignId == null && broadcastId == null ? null
                    : new Origin(campaignId, campaignVersion, stepId, variant, enrolmentId, broadcastId);
            return new Message(id, Direction.valueOf(direction.toUpperCase(java.util.Locale.ROOT)), contactId, to, from, body,
                    Category.fromWire(category), MessageStatus.fromWire(status),
                    history == null ? List.of() : history.stream().map(StatusChangeItem::toChange).toList(),
                    provider, providerMessageId, encoding, segments, cost, errorCode, Instant.parse(createdAt), sendAt, origin);
        }
    }

    /** One entry of a message's status history. */
    static final class StatusChangeItem {
        String status;
        String at;
        String errorCode;

        static StatusChangeItem of(Message.StatusChange c) {
            StatusChangeItem i = new StatusChangeItem();
            i.status = c.status().wire();
            i.at = c.at().toString();
            i.errorCode = c.errorCode();
            return i;
        }

        Message.StatusChange toChange() {
            return new Message.StatusChange(MessageStatus.fromWire(status), Instant.parse(at), errorCode);
        }
    }
}
