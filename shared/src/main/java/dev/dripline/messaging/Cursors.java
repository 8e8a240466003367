package dev.dripline.messaging;

import dev.dripline.errors.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque list cursors: a DynamoDB last evaluated key of string attributes, as URL-safe base64
 * of {@code name=value} lines. Clients treat it as opaque; a tampered one is a 422, not a 500.
 */
final class Cursors {

    private Cursors() {
    }

    static String encode(Map<String, AttributeValue> key) {
        StringBuilder out = new StringBuilder();
        key.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append(e.getKey()).append('=').append(e.getValue().s()).append('\n'));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decode(String cursor) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("no name");
                }
                key.put(line.substring(0, eq), AttributeValue.fromS(line.substring(eq + 1)));
            }
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of("cursor", "is not a cursor this API returned");
        }
        if (!key.keySet().equals(java.util.Set.of("id", "contactId", "createdAt"))) {
            throw InvalidInput.of("cursor", "is not a cursor this API returned");
        }
        return key;
    }
}
