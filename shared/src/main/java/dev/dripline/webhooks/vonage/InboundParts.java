package dev.dripline.webhooks.vonage;

import dev.dripline.store.TableShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The parts of long inbound messages, kept in DynamoDB until the last one arrives (the
 * idempotency table: key {@code key}, TTL {@code expiresAt}). Each part is written once, by a
 * conditional put keyed by sender, recipient, reference, total and part number, so a part that
 * Vonage retries is one part; whoever writes a part then reads them all, and the message is
 * whole once every part is there. Two last parts arriving together may both see it whole: the
 * conversation stores the message under one id (the first part's), so it lands once.
 */
public final class InboundParts {

    /** Longer than Vonage's 24 hours of retries. */
    static final Duration KEEP = Duration.ofHours(48);

    private final DynamoDbClient dynamo;
    private final String table;

    public InboundParts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "key", null, List.of(), "expiresAt");
    }

    /**
     * Stores this part (once) and returns the whole message if every part is now stored: the
     * parts' texts in order, under the first part's message id.
     */
    public Optional<InboundPart> add(InboundPart part) {
        if (part.whole()) {
            return Optional.of(part);
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("key", AttributeValue.fromS(key(part, part.part())));
        item.put("messageId", AttributeValue.fromS(part.messageId()));
        item.put("text", AttributeValue.fromS(part.text()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(part.receivedAt().plus(KEEP).getEpochSecond())));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", "key")));
        } catch (ConditionalCheckFailedException retried) {
            // The same part again: the first copy stays; still check whether the message is whole.
        }
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (int from = 1; from <= part.total(); from += 100) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (int n = from; n <= Math.min(part.total(), from + 99); n++) {
                keys.add(Map.of("key", AttributeValue.fromS(key(part, n))));
            }
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int round = 0; !request.isEmpty() && round < 10; round++) {
                Map<String, KeysAndAttributes> ask = request;
                BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(ask));
                response.responses().getOrDefault(table, List.of()).forEach(i -> found.put(i.get("key").s(), i));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        if (found.size() < part.total()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        for (int n = 1; n <= part.total(); n++) {
            text.append(found.get(key(part, n)).get("text").s());
        }
        String firstId = found.get(key(part, 1)).get("messageId").s();
        return Optional.of(new InboundPart(firstId, part.from(), part.to(), text.toString(), null, null, null, part.receivedAt()));
    }

    private static String key(InboundPart part, int n) {
        return "vonage-part#" + part.to() + "#" + part.from() + "#" + part.concatRef() + "#" + part.total() + "#" + n;
    }
}
