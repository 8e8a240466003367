package dev.dripline.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The simulated carrier's webhook signature, modelled on the real ones: header
 * {@code X-Simulator-Signature: t=<epoch seconds>,v1=<hex HMAC-SHA256(secret, t.url.body)>}.
 * The URL is the full public URL called, so a request replayed to another endpoint fails,
 * and the timestamp bounds replays in time.
 */
public final class SimulatorSignature {

    public static final String HEADER = "X-Simulator-Signature";
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private SimulatorSignature() {
    }

    public static String sign(String secret, Instant at, String url, String body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t + "." + url + "." + body));
    }

    /** True only for a well-formed header, signed with {@code secret} over this URL and body, within the tolerance. */
    public static boolean verify(String secret, String header, String url, String body, Instant now) {
        if (secret == null || secret.isEmpty() || header == null) {
            return false;
        }
        Long t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.startsWith("t=")) {
                try {
                    t = Long.parseLong(p.substring(2));
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (p.startsWith("v1=")) {
                v1 = p.substring(3);
            }
        }
        if (t == null || v1 == null) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - t) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(v1);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, hmac(secret, t + "." + url + "." + body));
    }

    private static byte[] hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
