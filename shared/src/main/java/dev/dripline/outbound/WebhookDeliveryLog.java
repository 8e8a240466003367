package dev.dripline.outbound;

import static dev.dripline.outbound.WebhookEndpoints.DELIVERY;
import static dev.dripline.outbound.WebhookEndpoints.DELIVERY_RETENTION;
import static dev.dripline.outbound.WebhookEndpoints.PK;
import static dev.dripline.outbound.WebhookEndpoints.SK;
import static dev.dripline.outbound.WebhookEndpoints.next;
import static dev.dripline.outbound.WebhookEndpoints.s;
import static dev.dripline.outbound.WebhookEndpoints.str;
import static dev.dripline.outbound.WebhookEndpoints.time;

import dev.dripline.ids.Ids;
import dev.dripline.store.PageCursor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Each endpoint's delivery log, in the endpoints' table under the endpoint's id: one item per
 * delivery ({@value WebhookEndpoints#DELIVERY}{@code <time-ordered id>}) with its event as sent and
 * its attempts, expiring after {@link WebhookEndpoints#DELIVERY_RETENTION}. Reached through
 * {@link WebhookEndpoints}, the table's owner.
 */
final class WebhookDeliveryLog {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    WebhookDeliveryLog(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** Records a delivery about to be queued; its id. */
    String record(String endpointId, String eventId, String eventType, String event, String replayOf) {
        Instant now = clock.instant();
        String id = Ids.next("whd", clock);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(endpointId));
        item.put(SK, s(DELIVERY + id));
        item.put("eventId", s(eventId));
        item.put("eventType", s(eventType));
        item.put("event", s(event));
        item.put("status", s("pending"));
        item.put("createdAt", s(now.toString()));
        item.put("attempts", AttributeValue.fromL(List.of()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(DELIVERY_RETENTION).getEpochSecond())));
        if (replayOf != null) {
            item.put("replayOf", s(replayOf));
        }
        dynamo.putItem(r -> r.tableName(table).item(item));
        return id;
    }

    /** Appends an attempt to a delivery's log and sets its status. */
    void recordAttempt(String endpointId, String deliveryId, WebhookDelivery.Attempt attempt, String status) {
        Map<String, AttributeValue> a = new HashMap<>();
        a.put("attempt", AttributeValue.fromN(Integer.toString(attempt.attempt())));
        a.put("at", s(attempt.at().toString()));
        if (attempt.statusCode() != null) {
            a.put("statusCode", AttributeValue.fromN(attempt.statusCode().toString()));
        }
        if (attempt.error() != null) {
            a.put("error", s(attempt.error()));
        }
        if (attempt.durationMs() != null) {
            a.put("durationMs", AttributeValue.fromN(attempt.durationMs().toString()));
        }
        if (attempt.nextRetryAt() != null) {
            a.put("nextRetryAt", s(attempt.nextRetryAt().toString()));
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(Map.of(PK, s(endpointId), SK, s(DELIVERY + deliveryId)))
                    .updateExpression("SET attempts = list_append(if_not_exists(attempts, :none), :a), #s = :s")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":none", AttributeValue.fromL(List.of()),
                            ":a", AttributeValue.fromL(List.of(AttributeValue.fromM(a))), ":s", s(status))));
        } catch (ConditionalCheckFailedException expired) {
            // The log entry is gone (expired): the attempt happened regardless.
        }
    }

    Optional<WebhookEndpoints.StoredDelivery> delivery(String endpointId, String deliveryId) {
        if (deliveryId == null || !deliveryId.startsWith("whd_")) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(endpointId), SK, s(DELIVERY + deliveryId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(new WebhookEndpoints.StoredDelivery(delivery(item), item.get("event").s()));
    }

    WebhookEndpoints.Page<WebhookDelivery> page(String endpointId, int limit, String cursor) {
        QueryResponse page = dynamo.query(r -> {
            r.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk AND begins_with(sk, :d)")
                    .expressionAttributeValues(Map.of(":pk", s(endpointId), ":d", s(DELIVERY)))
                    .scanIndexForward(false).limit(limit);
            if (cursor != null && !cursor.isBlank()) {
                r.exclusiveStartKey(PageCursor.decode(cursor, "webhook-deliveries:" + endpointId, Set.of(PK, SK)));
            }
        });
        return new WebhookEndpoints.Page<>(page.items().stream().map(WebhookDeliveryLog::delivery).toList(), next(page, "webhook-deliveries:" + endpointId));
    }

    private static WebhookDelivery delivery(Map<String, AttributeValue> i) {
        List<WebhookDelivery.Attempt> attempts = new ArrayList<>();
        if (i.containsKey("attempts")) {
            for (AttributeValue v : i.get("attempts").l()) {
                Map<String, AttributeValue> a = v.m();
                attempts.add(new WebhookDelivery.Attempt(Integer.parseInt(a.get("attempt").n()), time(a, "at"),
                        a.containsKey("statusCode") ? Integer.valueOf(a.get("statusCode").n()) : null, str(a, "error"),
                        a.containsKey("durationMs") ? Long.valueOf(a.get("durationMs").n()) : null, time(a, "nextRetryAt")));
            }
        }
        return new WebhookDelivery(i.get(SK).s().substring(DELIVERY.length()), i.get(PK).s(), i.get("eventId").s(), i.get("eventType").s(),
                i.get("status").s(), time(i, "createdAt"), str(i, "replayOf"), attempts);
    }

}
