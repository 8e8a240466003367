package dev.dripline.messaging;

import dev.dripline.store.TableShape;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The senders table: what the sender shares across concurrent invocations. Two kinds of item
 * under the key {@code id}: a throughput bucket per sender number or account
 * ({@code rate#twilio:+14155550100} → {@code tat}, the theoretical arrival time in epoch
 * milliseconds) and a sticky assignment per contact and provider
 * ({@code sticky#ct_...#twilio} → {@code number}).
 *
 * <p>The bucket is GCRA (the token bucket as a schedule): each message reserves the next slot
 * with one atomic {@code ADD tat :cost}, where cost = segments / rate. A slot at most
 * {@link #BURST} before now sends at once (a bucket holding one second of tokens); a slot in
 * the future is the time the message must wait for; a slot further in the past means the
 * bucket sat idle and is reset with a conditional {@code SET} (a second call, only after idling).
 */
public final class SenderState {

    /** How far a bucket may lag behind the clock and still be used as is: its capacity, in time. */
    static final Duration BURST = Duration.ofSeconds(1);
    /** Buckets untouched this long are removed by TTL. */
    private static final Duration BUCKET_TTL = Duration.ofHours(1);

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "id", null, List.of(), "expiresAt");
    }

    private final DynamoDbClient dynamo;
    private final String tableName;

    public SenderState(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    /**
     * Reserves {@code segments} on the bucket {@code key} refilled at {@code rate} segments per
     * second, and answers when they may be sent: {@code now} or later, never earlier.
     */
    public Instant reserve(String key, double rate, int segments, Instant now) {
        long cost = Math.max(1, (long) Math.ceil(Math.max(1, segments) * 1000.0 / rate));
        long nowMillis = now.toEpochMilli();
        String id = "rate#" + key;
        long ttl = now.plus(BUCKET_TTL).getEpochSecond();
        for (int round = 0; round < 5; round++) {
            long tat = Long.parseLong(dynamo.updateItem(r -> r.tableName(tableName).key(key(id))
                    .updateExpression("ADD tat :cost SET expiresAt = :ttl")
                    .expressionAttributeValues(Map.of(":cost", n(cost), ":ttl", n(ttl)))
                    .returnValues(ReturnValue.UPDATED_NEW)).attributes().get("tat").n());
            long slot = tat - cost;
            if (slot >= nowMillis - BURST.toMillis()) {
                return Instant.ofEpochMilli(Math.max(slot, nowMillis));
            }
            // Idle bucket: restart its schedule at now, unless another sender just did.
            try {
                dynamo.updateItem(r -> r.tableName(tableName).key(key(id))
                        .updateExpression("SET tat = :restart")
                        .conditionExpression("tat = :seen")
                        .expressionAttributeValues(Map.of(":restart", n(nowMillis + cost), ":seen", n(tat))));
                return now;
            } catch (ConditionalCheckFailedException raced) {
                // Someone moved the bucket between our calls: reserve again on its new state.
            }
        }
        throw new IllegalStateException("throughput bucket " + key + " kept changing under five reservations");
    }

    /** The number a contact last heard from through {@code provider}. */
    public Optional<String> sticky(String contactId, String provider) {
        GetItemResponse found = dynamo.getItem(r -> r.tableName(tableName).key(key(stickyId(contactId, provider))));
        return found.hasItem() && found.item().containsKey("number") ? Optional.of(found.item().get("number").s()) : Optional.empty();
    }

    /** Keeps {@code number} for the contact; the first writer wins, and its number is answered. */
    public String stick(String contactId, String provider, String number) {
        try {
            dynamo.putItem(r -> r.tableName(tableName)
                    .item(Map.of("id", AttributeValue.fromS(stickyId(contactId, provider)), "number", AttributeValue.fromS(number)))
                    .conditionExpression("attribute_not_exists(id)"));
            return number;
        } catch (ConditionalCheckFailedException first) {
            return sticky(contactId, provider).orElse(number);
        }
    }

    /** Forgets a sticky number that left the pool, so that a new one can be chosen. */
    public void unstick(String contactId, String provider) {
        dynamo.deleteItem(r -> r.tableName(tableName).key(key(stickyId(contactId, provider))));
    }

    private static String stickyId(String contactId, String provider) {
        return "sticky#" + contactId + "#" + provider;
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
