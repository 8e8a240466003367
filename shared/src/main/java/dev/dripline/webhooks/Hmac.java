package dev.dripline.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMACs and digests of UTF-8 text, and a constant-time comparison, for the signature schemes. */
public final class Hmac {

    private Hmac() {
    }

    /** @param algorithm a JCA Mac name: HmacSHA1, HmacSHA256, HmacMD5, HmacSHA512 */
    public static byte[] of(String algorithm, String key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    public static byte[] digest(String algorithm, String data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    /** The lower-case hex SHA-256 of UTF-8 {@code data}: the one such digest for ids, key hashes and request hashes. */
    public static String sha256Hex(String data) {
        return HexFormat.of().formatHex(digest("SHA-256", data));
    }

    public static boolean equal(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    /** Constant-time comparison of two texts (signatures as sent, base64 or hex). */
    public static boolean equal(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
