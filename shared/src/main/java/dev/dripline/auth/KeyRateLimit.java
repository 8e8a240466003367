package dev.dripline.auth;

import dev.dripline.errors.RateLimited;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Requests per API key: a token bucket kept as GCRA on one item per key ({@code rate#<key id>}
 * in the apikeys table, {@code tat} = the theoretical arrival time in epoch ms), so every Lambda
 * instance draws on the same bucket. A request with room is one conditional {@code ADD}; an
 * idle bucket is restarted with one conditional {@code SET}; a refused request takes nothing
 * (a client hammering a full bucket does not push its own wait further out).
 */
public final class KeyRateLimit {

    private final DynamoDbClient dynamo;
    private final String table;
    private final KeyLimits limits;
    private final Clock clock;

    public KeyRateLimit(DynamoDbClient dynamo, String table, KeyLimits limits, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.limits = limits;
        this.clock = clock;
    }

    /** Takes one request from the key's bucket, or throws {@link RateLimited} saying when to retry. */
    public void take(String keyId) {
        long interval = Math.max(1, Math.round(1000.0 / limits.perSecond()));
        long window = interval * limits.burst();
        Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("rate#" + keyId));
        for (int round = 0; round < 5; round++) {
            long now = clock.millis();
            long ttl = clock.instant().plus(Duration.ofMillis(window)).plus(Duration.ofHours(1)).getEpochSecond();
            try {
                dynamo.updateItem(r -> r.tableName(table).key(key)
                        .updateExpression("ADD tat :interval SET expiresAt = :ttl")
                        .conditionExpression("tat >= :now AND tat <= :limit")
                        .expressionAttributeValues(Map.of(":interval", n(interval), ":now", n(now), ":limit", n(now + window - interval),
                                ":ttl", n(ttl))));
                return;
            } catch (ConditionalCheckFailedException notInTheWindow) {
                // Either idle (restart below) or full (refuse below).
            }
            var item = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
            AttributeValue seen = item == null ? null : item.get("tat");
            long tat = seen == null ? Long.MIN_VALUE : Long.parseLong(seen.n());
            if (tat > now + window - interval) {
                throw new RateLimited("this API key made more than " + limits.burst() + " requests at a rate above "
                        + limits.perSecond() + " per second; retry later", Duration.ofMillis(tat - (now + window - interval)));
            }
            if (tat >= now) {
                continue; // room appeared between the two calls: take it the usual way
            }
            try {
                dynamo.updateItem(r -> r.tableName(table).key(key)
                        .updateExpression("SET tat = :start, expiresAt = :ttl")
                        .conditionExpression(seen == null ? "attribute_not_exists(tat)" : "tat = :seen")
                        .expressionAttributeValues(seen == null ? Map.of(":start", n(now + interval), ":ttl", n(ttl))
                                : Map.of(":start", n(now + interval), ":ttl", n(ttl), ":seen", seen)));
                return;
            } catch (ConditionalCheckFailedException raced) {
                // Another request restarted it first: go round and take from its new state.
            }
        }
        throw new RateLimited("this API key's bucket is contended; retry shortly", Duration.ofSeconds(1));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
