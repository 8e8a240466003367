// Low-level client throughout: counters with a cap, in the keywords table's limit# partitions.
package dev.dripline.signup;

import dev.dripline.errors.RateLimited;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Abuse limits of the sign-up pages (SMS pumping: bots submitting numbers to make us text them):
 * per phone number, per client IP and per country calling code, each a count per clock hour in
 * DynamoDB, because Lambda runs many instances and a count in memory would limit none of them.
 * A count is taken by a conditional increment, so racing submissions cannot pass the cap
 * together. Keys hold a hash of the number or IP, never the value; counts expire by TTL.
 */
final class SignupLimits {

    static final Duration WINDOW = Duration.ofHours(1);
    private static final String LIMIT = "limit#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final SignupSettings settings;
    private final Clock clock;

    SignupLimits(DynamoDbClient dynamo, String table, SignupSettings settings, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Counts one submission that will send a text, or refuses it.
     *
     * @throws RateLimited naming the limit reached and when it frees
     */
    void take(String e164, String ip, int countryCode) {
        Instant now = clock.instant();
        long window = now.getEpochSecond() / WINDOW.toSeconds();
        Duration retryAfter = Duration.between(now, Instant.ofEpochSecond((window + 1) * WINDOW.toSeconds()));
        count("phone#" + hash(e164), window, settings.perPhone(), retryAfter,
                "This phone number has been signed up too many times in the last hour.");
        count("ip#" + hash(ip == null ? "unknown" : ip), window, settings.perIp(), retryAfter,
                "Too many sign-ups have come from your network in the last hour.");
        count("country#" + countryCode, window, settings.perCountry(), retryAfter,
                "Too many sign-ups have come for numbers of this country in the last hour.");
    }

    private void count(String what, long window, int max, Duration retryAfter, String refusal) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of("pk", s(LIMIT + what), "sk", s(Long.toString(window))))
                    .updateExpression("ADD n :one SET expiresAt = :expires")
                    .conditionExpression("attribute_not_exists(n) OR n < :max")
                    .expressionAttributeValues(Map.of(":one", n(1), ":max", n(max),
                            ":expires", n((window + 2) * WINDOW.toSeconds()))));
        } catch (ConditionalCheckFailedException full) {
            throw new RateLimited(refusal, retryAfter);
        }
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
