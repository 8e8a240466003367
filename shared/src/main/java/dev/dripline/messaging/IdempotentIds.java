package dev.dripline.messaging;

import dev.dripline.webhooks.Hmac;

/** Ids and fingerprints for requests made with an Idempotency-Key. */
final class IdempotentIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private IdempotentIds() {
    }

    /** {@code msg_} and 26 Crockford base32 characters of SHA-256(actor, key): the same pair, the same id. */
    static String messageId(String actor, String key) {
        byte[] digest = Hmac.digest("SHA-256", actor + "\n" + key);
        StringBuilder out = new StringBuilder("msg_");
        long bits = 0;
        int available = 0;
        int index = 0;
        while (out.length() < 4 + 26) {
            if (available < 5) {
                bits = (bits << 8) | (digest[index++] & 0xFF);
                available += 8;
            }
            out.append(ALPHABET[(int) ((bits >>> (available - 5)) & 31)]);
            available -= 5;
        }
        return out.toString();
    }

    static String hash(String canonicalRequest) {
        return Hmac.sha256Hex(canonicalRequest);
    }
}
