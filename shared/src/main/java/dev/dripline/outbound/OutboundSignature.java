package dev.dripline.outbound;

import dev.dripline.webhooks.Hmac;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The signature on Dripline's own webhooks: {@code X-Dripline-Signature: t=<epoch seconds>,
 * v1=<hex HMAC-SHA256(secret, t + "." + body)>}. The receiver recomputes it over the raw body
 * and rejects old timestamps (replays).
 */
public final class OutboundSignature {

    public static final String HEADER = "X-Dripline-Signature";

    private OutboundSignature() {
    }

    public static String sign(String secret, Instant at, String body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(Hmac.of("HmacSHA256", secret, t + "." + body));
    }
}
