package dev.dripline.outbound;

import dev.dripline.webhooks.Hmac;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The signature on Dripline's own webhooks: {@code X-Dripline-Signature: t=<epoch seconds>,
 * v1=<hex HMAC-SHA256(secret, t + "." + body)>}. The receiver recomputes it over the raw body
 * and rejects old timestamps (replays). While an endpoint's secret is being rotated the header
 * carries one {@code v1} per secret, the new one first ({@code t=..,v1=<new>,v1=<old>}): a
 * receiver accepts the event if any {@code v1} matches the secret it holds.
 */
public final class OutboundSignature {

    public static final String HEADER = "X-Dripline-Signature";

    private OutboundSignature() {
    }

    public static String sign(String secret, Instant at, String body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(Hmac.of("HmacSHA256", secret, t + "." + body));
    }

    /** Signed with each secret in turn (current first): {@code t=<epoch seconds>,v1=<hex>,v1=<hex>}. */
    public static String sign(java.util.List<String> secrets, Instant at, String body) {
        long t = at.getEpochSecond();
        StringBuilder header = new StringBuilder("t=").append(t);
        for (String secret : secrets) {
            header.append(",v1=").append(HexFormat.of().formatHex(Hmac.of("HmacSHA256", secret, t + "." + body)));
        }
        return header.toString();
    }
}
