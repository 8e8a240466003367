package dev.dripline.store;

import dev.dripline.errors.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque list cursors: the list they belong to (its route and filters) and the last DynamoDB key
 * read, signed with HMAC-SHA256. A cursor that was altered, forged or taken from another list is
 * a 422 naming {@code cursor}, never a read of another partition and never a 500.
 *
 * <p>The key is derived from DRIPLINE_SUPPRESSION_SALT, a secret every function of a stack has,
 * so a cursor made by one instance opens in any other (and survives a restart of the local
 * runtime with a data directory). Without a salt, each process draws a random key at start: its
 * cursors then open only in that process.
 */
public final class PageCursor {

    private static final int MAC_BYTES = 16;
    private static volatile SecretKeySpec key;

    private PageCursor() {
    }

    /** Derives the signing key from the stack's secret; the first call of the process wins. */
    public static synchronized void keyFrom(Optional<String> secret) {
        if (key == null && secret.isPresent() && !secret.get().isBlank()) {
            key = new SecretKeySpec(mac(new SecretKeySpec(secret.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                    "dripline/list-cursor/v1".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
        }
    }

    private static synchronized SecretKeySpec key() {
        if (key == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            key = new SecretKeySpec(random, "HmacSHA256");
        }
        return key;
    }

    /** The cursor that continues {@code list} after {@code lastKey} (string attributes only). */
    public static String encode(String list, Map<String, AttributeValue> lastKey) {
        StringBuilder out = new StringBuilder(oneLine(list)).append('\n');
        lastKey.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append(e.getKey()).append('=').append(e.getValue().s()).append('\n'));
        byte[] payload = out.toString().getBytes(StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(tag(payload));
    }

    /** The last key of {@code list} a cursor carries, which must name exactly {@code names}. */
    public static Map<String, AttributeValue> decode(String cursor, String list, Set<String> names) {
        byte[] payload;
        try {
            String[] parts = cursor.trim().split("\\.", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("not two parts");
            }
            payload = Base64.getUrlDecoder().decode(parts[0]);
            if (!MessageDigest.isEqual(tag(payload), Base64.getUrlDecoder().decode(parts[1]))) {
                throw new IllegalArgumentException("bad signature");
            }
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of("cursor", "is not a cursor this API returned");
        }
        String[] lines = new String(payload, StandardCharsets.UTF_8).split("\n");
        if (!lines[0].equals(oneLine(list))) {
            throw InvalidInput.of("cursor", "belongs to another list (or other filters): start again without a cursor");
        }
        Map<String, AttributeValue> lastKey = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int eq = lines[i].indexOf('=');
            lastKey.put(lines[i].substring(0, eq), AttributeValue.fromS(lines[i].substring(eq + 1)));
        }
        if (!lastKey.keySet().equals(names)) {
            throw InvalidInput.of("cursor", "belongs to another list (or other filters): start again without a cursor");
        }
        return lastKey;
    }

    /** {@code decode}, or null for a missing or blank cursor (the first page). */
    public static Map<String, AttributeValue> start(String cursor, String list, Set<String> names) {
        return cursor == null || cursor.isBlank() ? null : decode(cursor, list, names);
    }

    private static String oneLine(String list) {
        return list.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static byte[] tag(byte[] payload) {
        return java.util.Arrays.copyOf(mac(key(), payload), MAC_BYTES);
    }

    private static byte[] mac(SecretKeySpec k, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(k);
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
