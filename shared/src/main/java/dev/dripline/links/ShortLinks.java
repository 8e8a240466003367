package dev.dripline.links;

import dev.dripline.ids.Ids;
import dev.dripline.store.TableShape;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Per-recipient short links with click tracking. The links table holds, under the key
 * {@code id}: a link ({@code code} → target URL, message id, contact id, {@code clicks} counter)
 * and one item per click ({@code click#<code>#<ulid>} with its time), so that a click is
 * counted atomically and its time kept.
 */
public final class ShortLinks {

    /** Codes are 8 base62 characters: 47 bits, so a guessed code almost never exists. */
    static final int CODE_LENGTH = 8;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A link as stored. */
    public record Link(String code, String target, String messageId, String contactId, long clicks) {
    }

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "id", null, List.of(), "expiresAt");
    }

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final URI publicUrl;
    private final Clock clock;
    private final Duration retention;
    private volatile dev.dripline.analytics.Engagement engagement = dev.dripline.analytics.Engagement.NONE;

    /** @param retention how long links (and their clicks) are kept: as long as the messages that carry them */
    public ShortLinks(DynamoDbClient dynamo, String tableName, URI publicUrl, Clock clock, Duration retention) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.retention = retention;
    }

    /** Who is told of clicks (analytics credits them to the message's campaign or broadcast). */
    public void engagement(dev.dripline.analytics.Engagement engagement) {
        this.engagement = engagement;
    }

    /** Stores a new link to {@code target} for one message and recipient; answers its short URL. */
    public String shorten(String target, String messageId, String contactId) {
        return shorten(target, messageId, contactId, null);
    }

    /**
     * As {@link #shorten(String, String, String)}, under {@code base} (the URL an API request came
     * in at); null: the configured public URL, which a function on AWS without one does not have.
     */
    public String shorten(String target, String messageId, String contactId, URI base) {
        URI under = base != null ? base : publicUrl;
        if (under == null) {
            throw new IllegalStateException("no public URL to put short links under: DRIPLINE_PUBLIC_URL is not set");
        }
        for (int round = 0; round < 5; round++) {
            String code = newCode();
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("id", s(code));
            item.put("target", s(target));
            item.put("messageId", s(messageId));
            if (contactId != null) {
                item.put("contactId", s(contactId));
            }
            item.put("clicks", AttributeValue.fromN("0"));
            item.put("createdAt", s(clock.instant().toString()));
            item.put("expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(retention).getEpochSecond())));
            try {
                dynamo.putItem(r -> r.tableName(tableName).item(item).conditionExpression("attribute_not_exists(id)"));
                return under + "/r/" + code;
            } catch (ConditionalCheckFailedException taken) {
                // A collision: draw again.
            }
        }
        throw new IllegalStateException("five short-link codes in a row were taken");
    }

    /** Records a click on {@code code} and answers where it leads; empty for an unknown code. */
    public Optional<String> click(String code) {
        if (code == null || !code.matches("[0-9A-Za-z]{7,16}")) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Map<String, AttributeValue> updated;
        try {
            updated = dynamo.updateItem(r -> r.tableName(tableName).key(Map.of("id", s(code)))
                    .updateExpression("ADD clicks :one SET lastClickAt = :now")
                    .conditionExpression("attribute_exists(target)")
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":now", s(now.toString())))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
        } catch (ConditionalCheckFailedException unknown) {
            return Optional.empty();
        }
        Map<String, AttributeValue> click = new HashMap<>();
        click.put("id", s("click#" + code + "#" + Ids.next("clk", clock)));
        click.put("code", s(code));
        click.put("at", s(now.toString()));
        if (updated.containsKey("messageId")) {
            click.put("messageId", updated.get("messageId"));
        }
        if (updated.containsKey("expiresAt")) {
            click.put("expiresAt", updated.get("expiresAt"));
        }
        dynamo.putItem(r -> r.tableName(tableName).item(click));
        if (updated.containsKey("messageId")) {
            engagement.clicked(updated.get("messageId").s(), now);
        }
        return Optional.of(updated.get("target").s());
    }

    public Optional<Link> get(String code) {
        GetItemResponse found = dynamo.getItem(r -> r.tableName(tableName).key(Map.of("id", s(code))).consistentRead(true));
        if (!found.hasItem() || !found.item().containsKey("target")) {
            return Optional.empty();
        }
        Map<String, AttributeValue> i = found.item();
        return Optional.of(new Link(code, i.get("target").s(), i.get("messageId").s(),
                i.containsKey("contactId") ? i.get("contactId").s() : null, Long.parseLong(i.get("clicks").n())));
    }

    private static String newCode() {
        char[] out = new char[CODE_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(out);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
