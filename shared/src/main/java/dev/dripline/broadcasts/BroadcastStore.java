package dev.dripline.broadcasts;

import dev.dripline.json.Json;
import dev.dripline.messaging.Category;
import dev.dripline.store.Page;
import dev.dripline.store.PagedRead;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The owner of broadcast items: a broadcast is a head item of the campaigns table
 * ({@code id = bc_..., sk = head, kind = broadcast}; campaigns' heads have no kind), holding its
 * settings, status and fan-out counts. Nothing else reads or writes them.
 */
final class BroadcastStore {

    private static final String HEAD = "head";
    private static final String KIND = "broadcast";
    static final List<String> COUNTS = List.of("queued", "held", "released", "skippedOptedOut", "skippedCapped", "deferredQuietHours",
            "deferredCapped", "releasedQuietHours", "skippedUnregistered");

    /** A broadcast as stored: what the API shows and what its fan-out needs. */
    record Stored(Broadcasts.Broadcast view, BroadcastStatus status, Instant startAt, boolean deferCapped,
                  java.util.List<dev.dripline.media.MediaInput> media, String mediaFallback) {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    BroadcastStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Stores a new broadcast (its id is new). */
    void create(String id, String name, Object audience, String body, Category category, boolean deferCapped, Instant startAt,
                Instant sendAt, LocalDateTime sendAtLocal, Long audienceSize, Instant createdAt, String topic,
                java.util.List<dev.dripline.media.MediaInput> media, String mediaFallback) {
        Map<String, AttributeValue> item = new HashMap<>(key(id));
        if (media != null && !media.isEmpty()) {
            item.put("media", s(Json.write(media)));
        }
        if (mediaFallback != null) {
            item.put("mediaFallback", s(mediaFallback));
        }
        item.put("kind", s(KIND));
        item.put("name", s(name));
        item.put("status", s(BroadcastStatus.SCHEDULED.wire()));
        item.put("audience", s(Json.write(audience)));
        item.put("body", s(body));
        item.put("category", s(category.wire()));
        item.put("capPolicy", s(deferCapped ? "defer" : "skip"));
        item.put("topic", s(topic));
        item.put("startAt", s(startAt.toString()));
        if (sendAt != null) {
            item.put("sendAt", s(sendAt.toString()));
        }
        if (sendAtLocal != null) {
            item.put("sendAtLocal", s(sendAtLocal.toString()));
        }
        if (audienceSize != null) {
            item.put("audienceSize", n(audienceSize));
        }
        item.put("createdAt", s(createdAt.toString()));
        dynamo.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(id)"));
    }

    Optional<Stored> find(String id) {
        if (id == null || !id.startsWith("bc_")) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(id)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(decode(item));
    }

    /** {@code GET /v1/broadcasts}: a paged Scan of the table's broadcast heads (bounded per request; table order). */
    Page<Broadcasts.Broadcast> page(int limit, String cursor) {
        return PagedRead.page("broadcasts", Set.of("id", "sk"), limit, cursor, start -> {
            var scan = ScanRequest.builder().tableName(table)
                    .filterExpression("sk = :h AND kind = :b").expressionAttributeValues(Map.of(":h", s(HEAD), ":b", s(KIND)))
                    .limit(PagedRead.READ);
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            return PagedRead.Batch.of(dynamo.scan(scan.build()));
        }, item -> decode(item).view());
    }

    /** Every broadcast's id (a scan: for start-up and operator commands, never a request path). */
    List<String> ids() {
        List<String> ids = new ArrayList<>();
        dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true).filterExpression("kind = :b AND sk = :head")
                        .expressionAttributeValues(Map.of(":b", s(KIND), ":head", s(HEAD))))
                .items().forEach(i -> ids.add(i.get("id").s()));
        return ids;
    }

    void cancel(String id) {
        dynamo.updateItem(u -> u.tableName(table).key(key(id)).updateExpression("SET #s = :c")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":c", s(BroadcastStatus.CANCELLED.wire()))));
    }

    /** Moves the status on, unless the broadcast was cancelled. */
    void setStatus(String id, BroadcastStatus status) {
        dynamo.updateItem(u -> u.tableName(table).key(key(id)).updateExpression("SET #s = :s")
                .conditionExpression("#s <> :cancelled")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", s(status.wire()), ":cancelled", s(BroadcastStatus.CANCELLED.wire()))));
    }

    /** Adds to the fan-out's counts. */
    void addCounts(String id, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> parts = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> c : counts.entrySet()) {
            parts.add(c.getKey() + " :v" + i);
            values.put(":v" + i, n(c.getValue()));
            i++;
        }
        dynamo.updateItem(u -> u.tableName(table).key(key(id)).updateExpression("ADD " + String.join(", ", parts))
                .expressionAttributeValues(values));
    }

    /** Sets the counts records can prove (a recount). */
    void setCounts(String id, long queued, long skippedOptedOut, long skippedCapped) {
        dynamo.updateItem(u -> u.tableName(table).key(key(id)).updateExpression("SET queued = :q, skippedOptedOut = :o, skippedCapped = :c")
                .expressionAttributeValues(Map.of(":q", n(queued), ":o", n(skippedOptedOut), ":c", n(skippedCapped))));
    }

    private static Stored decode(Map<String, AttributeValue> item) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String c : COUNTS) {
            counts.put(c, item.containsKey(c) ? Long.parseLong(item.get(c).n()) : 0L);
        }
        Broadcasts.Broadcast view = new Broadcasts.Broadcast(item.get("id").s(), item.get("name").s(), item.get("status").s(),
                Json.read(item.get("audience").s(), Object.class), item.get("body").s(), Category.fromWire(item.get("category").s()),
                item.containsKey("sendAt") ? Instant.parse(item.get("sendAt").s()) : null,
                item.containsKey("sendAtLocal") ? LocalDateTime.parse(item.get("sendAtLocal").s()) : null,
                item.containsKey("audienceSize") ? Long.parseLong(item.get("audienceSize").n()) : null, counts,
                Instant.parse(item.get("createdAt").s()),
                item.containsKey("topic") ? item.get("topic").s() : dev.dripline.consent.Topics.defaultFor(item.get("category").s()));
        return new Stored(view, BroadcastStatus.fromWire(item.get("status").s()),
                item.containsKey("startAt") ? Instant.parse(item.get("startAt").s()) : null,
                item.containsKey("capPolicy") && "defer".equals(item.get("capPolicy").s()),
                item.containsKey("media") ? java.util.List.of(Json.read(item.get("media").s(), dev.dripline.media.MediaInput[].class))
                        : java.util.List.of(),
                item.containsKey("mediaFallback") ? item.get("mediaFallback").s() : null);
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id), "sk", s(HEAD));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
