package dev.dripline.idempotency;

import dev.dripline.webhooks.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The first answer to each request made with an {@code Idempotency-Key}, kept 24 hours in the
 * idempotency table (key {@code key}, TTL {@code expiresAt}), so that a retry gets that answer
 * again instead of doing the work twice. A request first claims its key (a conditional put);
 * the claim becomes the stored answer when the request succeeds, and is released when it fails,
 * so a corrected retry runs. A claim left by a request that died is taken over after a minute.
 */
public final class IdempotentRequests {

    /** How long answers are kept: the contract's 24 hours. */
    public static final Duration KEEP = Duration.ofHours(24);
    /** A claim older than this belongs to a request that died. */
    static final Duration LEASE = Duration.ofMinutes(1);
    /** Answers larger than this are not kept (an item holds 400 KB). */
    static final int MAX_BODY = 300 * 1024;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public IdempotentRequests(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** What became of a claim. */
    public sealed interface Claim {
        /** Nobody made this request before: go ahead, then {@link #complete} or {@link #release}. */
        record Granted(String id) implements Claim {
        }

        /** The first answer, to send again. */
        record Replay(int status, String contentType, byte[] body) implements Claim {
        }

        /** The same key is being used right now by a request not yet answered. */
        record InProgress() implements Claim {
        }

        /** The same key came with another request. */
        record Mismatch() implements Claim {
        }
    }

    /**
     * Claims {@code key} for {@code scope} (who calls, and which route: keys are per caller and
     * route) and a request whose fingerprint is {@code requestHash}.
     */
    public Claim claim(String scope, String key, String requestHash) {
        String id = "idem#" + sha256(scope + "\n" + key);
        Instant now = clock.instant();
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("key", AttributeValue.fromS(id));
            item.put("requestHash", AttributeValue.fromS(requestHash));
            item.put("state", AttributeValue.fromS("pending"));
            item.put("claimedAt", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
            item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(KEEP).getEpochSecond())));
            try {
                // An expired item DynamoDB has not yet deleted counts as absent.
                dynamo.putItem(r -> r.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(#k) OR #e < :now")
                        .expressionAttributeNames(Map.of("#k", "key", "#e", "expiresAt"))
                        .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())))));
                return new Claim.Granted(id);
            } catch (ConditionalCheckFailedException taken) {
                Map<String, AttributeValue> earlier = dynamo.getItem(r -> r.tableName(table).key(Map.of("key", AttributeValue.fromS(id)))
                        .consistentRead(true)).item();
                if (earlier == null || earlier.isEmpty()) {
                    continue;
                }
                if (!requestHash.equals(earlier.get("requestHash").s())) {
                    return new Claim.Mismatch();
                }
                if ("done".equals(earlier.get("state").s())) {
                    return new Claim.Replay(Integer.parseInt(earlier.get("status").n()), earlier.get("contentType").s(),
                            earlier.get("body").b().asByteArray());
                }
                String claimedAt = earlier.get("claimedAt").n();
                if (Instant.ofEpochMilli(Long.parseLong(claimedAt)).plus(LEASE).isAfter(now)) {
                    return new Claim.InProgress();
                }
                try {
                    dynamo.updateItem(r -> r.tableName(table).key(Map.of("key", AttributeValue.fromS(id)))
                            .updateExpression("SET claimedAt = :now")
                            .conditionExpression("#s = :pending AND claimedAt = :then")
                            .expressionAttributeNames(Map.of("#s", "state"))
                            .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                                    ":pending", AttributeValue.fromS("pending"), ":then", AttributeValue.fromN(claimedAt))));
                    return new Claim.Granted(id);
                } catch (ConditionalCheckFailedException other) {
                    // Another retry took it over, or it was answered meanwhile: look again.
                }
            }
        }
        return new Claim.InProgress();
    }

    /** Keeps the answer of a granted claim for retries; one too large to keep releases the claim instead. */
    public void complete(String id, int status, String contentType, byte[] body) {
        if (body.length > MAX_BODY) {
            release(id);
            return;
        }
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("key", AttributeValue.fromS(id)))
                .updateExpression("SET #s = :done, #st = :status, contentType = :type, body = :body")
                .expressionAttributeNames(Map.of("#s", "state", "#st", "status"))
                .expressionAttributeValues(Map.of(":done", AttributeValue.fromS("done"),
                        ":status", AttributeValue.fromN(Integer.toString(status)),
                        ":type", AttributeValue.fromS(contentType),
                        ":body", AttributeValue.fromB(SdkBytes.fromByteArray(body)))));
    }

    /** Forgets a granted claim whose request failed: a retry with the same key runs again. */
    public void release(String id) {
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("key", AttributeValue.fromS(id))));
    }

    /** A request's fingerprint. */
    public static String fingerprint(String method, String path, byte[] body) {
        MessageDigest digest = sha();
        digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
        digest.update(body);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(String value) {
        return Hmac.sha256Hex(value);
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
