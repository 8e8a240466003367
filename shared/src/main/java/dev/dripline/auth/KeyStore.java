package dev.dripline.auth;

import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.store.TableShape;
import dev.dripline.webhooks.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The apikeys table's one owner (low-level client: every write here is a conditional update the
 * Enhanced client cannot say). API keys created through the API, in the apikeys table as {@code key#<id>} items holding the
 * SHA-256 of the secret (never the secret), name, scopes and times. A secret reads
 * {@code dl_<id>.<random>}: the id inside it finds the item with one consistent read, and the
 * digests are compared in constant time. Nothing is cached, so a revocation holds from the next
 * request in every process. A plain digest suffices: the secrets are 190 random bits, not
 * passwords, so a slow hash would only cost every request CPU. The same table holds each key's
 * request bucket ({@code rate#<key id>}, see {@link KeyRateLimit}); its items are read and written
 * only here.
 */
public final class KeyStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    /** A key just created: the only time its secret is seen. */
    public record Created(ApiKey key, String secret) {
    }

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "id", null, List.of(), "expiresAt");
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public KeyStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    public Created create(String name, List<String> scopes) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (name.length() > 100) {
            errors.add(new FieldError("name", "has more than 100 characters"));
        }
        Set<Scope> parsed = EnumSet.noneOf(Scope.class);
        if (scopes == null || scopes.isEmpty()) {
            errors.add(new FieldError("scopes", "name at least one of read, write, send, admin"));
        } else {
            for (int i = 0; i < scopes.size(); i++) {
                Optional<Scope> s = Scope.fromWire(scopes.get(i));
                if (s.isEmpty()) {
                    errors.add(new FieldError("scopes[" + i + "]", "must be read, write, send or admin"));
                } else {
                    parsed.add(s.get());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        String id = "ak_" + random(16);
        String secret = "dl_" + id + "." + random(32);
        Instant now = clock.instant();
        List<String> wire = parsed.stream().map(Scope::wire).toList();
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                "id", AttributeValue.fromS(itemId(id)),
                "hash", AttributeValue.fromS(sha256(secret)),
                "name", AttributeValue.fromS(name.trim()),
                "scopes", AttributeValue.fromSs(wire),
                "createdAt", AttributeValue.fromS(now.toString())))
                .conditionExpression("attribute_not_exists(id)"));
        return new Created(new ApiKey(id, name.trim(), wire, now, null, null), secret);
    }

    /** Every key, revoked ones too, oldest first. A handful of items: a scan is the simple answer. */
    public List<ApiKey> list() {
        List<ApiKey> keys = new ArrayList<>();
        dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true).filterExpression("begins_with(id, :key)")
                        .expressionAttributeValues(Map.of(":key", AttributeValue.fromS("key#"))))
                .items().forEach(item -> keys.add(toKey(item)));
        keys.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id));
        return keys;
    }

    /** {@code GET /v1/api-keys}: every key, revoked ones too, a page at a time (a paged Scan, in table order). */
    public dev.dripline.store.Page<ApiKey> page(int limit, String cursor) {
        return dev.dripline.store.PagedRead.page("api-keys", java.util.Set.of("id"), limit, cursor, start -> {
            var scan = software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder().tableName(table).consistentRead(true)
                    .filterExpression("begins_with(id, :key)").expressionAttributeValues(Map.of(":key", AttributeValue.fromS("key#")))
                    .limit(dev.dripline.store.PagedRead.READ);
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            return dev.dripline.store.PagedRead.Batch.of(dynamo.scan(scan.build()));
        }, KeyStore::toKey);
    }

    /** Revokes a key: refused from the next request on. Revoking twice is harmless. */
    public ApiKey revoke(String id) {
        Instant now = clock.instant();
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(id))
                    .updateExpression("SET revokedAt = if_not_exists(revokedAt, :now)")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString()))));
        } catch (ConditionalCheckFailedException missing) {
            throw new NotFound("API key", id);
        }
        return get(id).orElseThrow(() -> new NotFound("API key", id));
    }

    public Optional<ApiKey> get(String id) {
        var found = dynamo.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true));
        return found.hasItem() && !found.item().isEmpty() ? Optional.of(toKey(found.item())) : Optional.empty();
    }

    /** The caller a presented secret belongs to, if it is a live key of ours. */
    public Optional<Caller> verify(String presented) {
        if (presented == null || !presented.startsWith("dl_ak_") || presented.length() > 200) {
            return Optional.empty();
        }
        int dot = presented.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String id = presented.substring(3, dot);
        var found = dynamo.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true));
        if (!found.hasItem() || found.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = found.item();
        boolean match = MessageDigest.isEqual(item.get("hash").s().getBytes(StandardCharsets.US_ASCII),
                sha256(presented).getBytes(StandardCharsets.US_ASCII));
        if (!match || item.containsKey("revokedAt")) {
            return Optional.empty();
        }
        touch(id, item);
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        item.get("scopes").ss().forEach(s -> Scope.fromWire(s).ifPresent(scopes::add));
        return Optional.of(new Caller(id, item.get("name").s(), scopes));
    }

    /** Records the last use at most once a minute per key: a write per request would double the cost of reads. */
    private void touch(String id, Map<String, AttributeValue> item) {
        Instant now = clock.instant();
        AttributeValue last = item.get("lastUsedAt");
        if (last != null && Instant.parse(last.s()).isAfter(now.minus(LAST_USED_PRECISION))) {
            return;
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(id))
                    .updateExpression("SET lastUsedAt = :now")
                    .conditionExpression("attribute_exists(id) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :cutoff)")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString()),
                            ":cutoff", AttributeValue.fromS(now.minus(LAST_USED_PRECISION).toString()))));
        } catch (ConditionalCheckFailedException someoneElseDid) {
            // Another request recorded it within the minute.
        }
    }

    /**
     * Takes one request from a key's bucket if its theoretical arrival time lies in
     * {@code [now, limit]}, answering its new arrival time; {@link Long#MIN_VALUE} if it does
     * not (the bucket is idle, full, or not there yet).
     */
    long drawFromBucket(String keyId, long interval, long now, long limit, long expiresAt) {
        try {
            var attributes = dynamo.updateItem(r -> r.tableName(table).key(bucketKey(keyId))
                    .updateExpression("ADD tat :interval SET expiresAt = :ttl")
                    .conditionExpression("tat >= :now AND tat <= :limit")
                    .expressionAttributeValues(Map.of(":interval", n(interval), ":now", n(now), ":limit", n(limit),
                            ":ttl", n(expiresAt)))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.UPDATED_NEW)).attributes();
            AttributeValue tat = attributes == null ? null : attributes.get("tat");
            return tat == null ? now + interval : Long.parseLong(tat.n());
        } catch (ConditionalCheckFailedException notInTheWindow) {
            return Long.MIN_VALUE;
        }
    }

    /** Restarts an idle (or new) bucket at {@code start}; false if it is not idle at {@code now}. */
    boolean restartIdleBucket(String keyId, long start, long now, long expiresAt) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(bucketKey(keyId))
                    .updateExpression("SET tat = :start, expiresAt = :ttl")
                    .conditionExpression("attribute_not_exists(tat) OR tat < :now")
                    .expressionAttributeValues(Map.of(":start", n(start), ":now", n(now), ":ttl", n(expiresAt))));
            return true;
        } catch (ConditionalCheckFailedException notIdle) {
            return false;
        }
    }

    /** The bucket's theoretical arrival time in epoch ms, {@link Long#MIN_VALUE} if it has none. */
    long bucketArrivalTime(String keyId) {
        var item = dynamo.getItem(r -> r.tableName(table).key(bucketKey(keyId)).consistentRead(true)).item();
        AttributeValue tat = item == null ? null : item.get("tat");
        return tat == null ? Long.MIN_VALUE : Long.parseLong(tat.n());
    }

    private static Map<String, AttributeValue> bucketKey(String keyId) {
        return Map.of("id", AttributeValue.fromS("rate#" + keyId));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static ApiKey toKey(Map<String, AttributeValue> item) {
        return new ApiKey(item.get("id").s().substring(4), item.get("name").s(), item.get("scopes").ss().stream().sorted().toList(),
                Instant.parse(item.get("createdAt").s()),
                item.containsKey("lastUsedAt") ? Instant.parse(item.get("lastUsedAt").s()) : null,
                item.containsKey("revokedAt") ? Instant.parse(item.get("revokedAt").s()) : null);
    }

    private static String itemId(String id) {
        return "key#" + id;
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(itemId(id)));
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    static String sha256(String value) {
        return Hmac.sha256Hex(value);
    }
}
