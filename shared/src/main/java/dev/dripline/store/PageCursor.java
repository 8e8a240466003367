package dev.dripline.store;

import dev.dripline.errors.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque list cursors: a DynamoDB key of string attributes, as URL-safe base64 of
 * {@code name=value} lines. A tampered cursor is a 422 naming {@code cursor}, never a 500.
 */
public final class PageCursor {

    private PageCursor() {
    }

    public static String encode(Map<String, AttributeValue> key) {
        StringBuilder out = new StringBuilder();
        key.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append(e.getKey()).append('=').append(e.getValue().s()).append('\n'));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The key, which must name exactly {@code names}. */
    public static Map<String, AttributeValue> decode(String cursor, Set<String> names) {
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
        if (!key.keySet().equals(names)) {
            throw InvalidInput.of("cursor", "is not a cursor of this list");
        }
        return key;
    }
}
