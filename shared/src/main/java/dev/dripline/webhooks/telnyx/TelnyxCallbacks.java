package dev.dripline.webhooks.telnyx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.conversations.InboundMedia;
import dev.dripline.conversations.InboundSms;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Refused;
import dev.dripline.json.Json;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.receipts.DeliveryReceipt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Telnyx messaging webhooks without HTTP: Ed25519 over {@code "{telnyx-timestamp}|{raw body}"}
 * with the account's public key, timestamps within 300 s, then the v2 event mapped.
 */
public final class TelnyxCallbacks {

    public static final String SIGNATURE_HEADER = "telnyx-signature-ed25519";
    public static final String TIMESTAMP_HEADER = "telnyx-timestamp";
    public static final Duration TOLERANCE = Duration.ofSeconds(300);
    /** Telnyx 40300: the recipient replied STOP; Telnyx blocks the pair. */
    public static final String RECIPIENT_OPTED_OUT = "40300";

    private static final byte[] X509_ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Map<String, MessageStatus> STATUSES = Map.of(
            "queued", MessageStatus.QUEUED,
            "sending", MessageStatus.QUEUED,
            "sent", MessageStatus.SENT,
            "delivery_unconfirmed", MessageStatus.SENT,
            "delivered", MessageStatus.DELIVERED,
            "delivery_failed", MessageStatus.UNDELIVERED,
            "sending_failed", MessageStatus.FAILED,
            "expired", MessageStatus.EXPIRED);

    private final Optional<PublicKey> key;

    /** @param publicKeyBase64 DRIPLINE_TELNYX_PUBLIC_KEY: the 32-byte Ed25519 key, base64; absent refuses everything */
    public TelnyxCallbacks(Optional<String> publicKeyBase64) {
        this.key = publicKeyBase64.map(TelnyxCallbacks::publicKey);
    }

    static PublicKey publicKey(String base64) {
        byte[] raw = Base64.getDecoder().decode(base64.trim());
        if (raw.length != 32) {
            throw new IllegalArgumentException("DRIPLINE_TELNYX_PUBLIC_KEY must be a base64 32-byte Ed25519 key");
        }
        byte[] spki = new byte[X509_ED25519_PREFIX.length + 32];
        System.arraycopy(X509_ED25519_PREFIX, 0, spki, 0, X509_ED25519_PREFIX.length);
        System.arraycopy(raw, 0, spki, X509_ED25519_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("DRIPLINE_TELNYX_PUBLIC_KEY is not an Ed25519 key", e);
        }
    }

    /** The event if signed by Telnyx over this timestamp and body, within the tolerance of {@code now}. */
    public JsonNode verified(String signature, String timestamp, String rawBody, Instant now) {
        if (key.isEmpty()) {
            throw new Refused("Telnyx webhooks are not configured (DRIPLINE_TELNYX_PUBLIC_KEY)");
        }
        if (signature == null || timestamp == null || rawBody == null) {
            throw new Refused("missing " + SIGNATURE_HEADER + " or " + TIMESTAMP_HEADER);
        }
        long t;
        try {
            t = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new Refused("malformed " + TIMESTAMP_HEADER);
        }
        if (Math.abs(now.getEpochSecond() - t) > TOLERANCE.toSeconds()) {
            throw new Refused(TIMESTAMP_HEADER + " is more than 300 s off");
        }
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(key.get());
            ed.update((timestamp.trim() + "|" + rawBody).getBytes(StandardCharsets.UTF_8));
            if (!ed.verify(Base64.getDecoder().decode(signature.trim()))) {
                throw new Refused("wrong " + SIGNATURE_HEADER);
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new Refused("malformed " + SIGNATURE_HEADER);
        }
        try {
            JsonNode json = Json.mapper().readTree(rawBody);
            if (json == null || !json.path("data").isObject()) {
                throw InvalidInput.of("data", "is required");
            }
            return json.path("data");
        } catch (IOException e) {
            throw InvalidInput.of("body", "is not valid JSON");
        }
    }

    /** A {@code message.received} event as an inbound message; empty for other event types. */
    public static Optional<InboundSms> inbound(JsonNode data, Instant now) {
        if (!"message.received".equals(data.path("event_type").asText())) {
            return Optional.empty();
        }
        JsonNode p = data.path("payload");
        return Optional.of(new InboundSms("telnyx", text(p, "id", "payload.id"), text(p.path("from"), "phone_number", "payload.from"),
                text(p.path("to").path(0), "phone_number", "payload.to"), p.path("text").asText(""), time(data, now), media(p)));
    }

    /** {@code payload.media[]}: {url, content_type, size, hash_sha256} each (an SMS has none, or an empty array). */
    static java.util.List<InboundMedia> media(JsonNode payload) {
        JsonNode items = payload.path("media");
        if (!items.isArray()) {
            return java.util.List.of();
        }
        if (items.size() > InboundSms.MAX_MEDIA) {
            throw InvalidInput.of("payload.media", "has " + items.size() + " items; an inbound message keeps at most " + InboundSms.MAX_MEDIA);
        }
        java.util.List<InboundMedia> media = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode m = items.get(i);
            String url = m.path("url").asText("");
            if (url.isBlank()) {
                throw InvalidInput.of("payload.media[" + i + "].url", "is required");
            }
            media.add(new InboundMedia(url, m.path("content_type").asText(null), m.path("size").canConvertToLong() ? m.path("size").asLong() : null));
        }
        return media;
    }

    /** A {@code message.sent} / {@code message.finalized} event as a receipt; empty for others or unknown statuses. */
    public static Optional<DeliveryReceipt> receipt(String messageId, JsonNode data, Instant now) {
        String type = data.path("event_type").asText();
        if (!type.equals("message.sent") && !type.equals("message.finalized")) {
            return Optional.empty();
        }
        if (messageId == null || messageId.isBlank()) {
            throw InvalidInput.of("m", "is required: the webhook URL carries the message id");
        }
        JsonNode p = data.path("payload");
        String reported = p.path("to").path(0).path("status").asText("").toLowerCase(Locale.ROOT);
        MessageStatus status = STATUSES.get(reported);
        if (status == null) {
            return Optional.empty();
        }
        String errorCode = p.path("errors").path(0).path("code").asText(null);
        String providerId = text(p, "id", "payload.id");
        String eventId = data.path("id").asText(providerId + ":" + reported);
        return Optional.of(new DeliveryReceipt("telnyx", messageId, providerId, status, errorCode, time(data, now), eventId,
                RECIPIENT_OPTED_OUT.equals(errorCode)));
    }

    private static String text(JsonNode node, String field, String name) {
        String v = node.path(field).asText("");
        if (v.isBlank()) {
            throw InvalidInput.of(name, "is required");
        }
        return v;
    }

    private static Instant time(JsonNode data, Instant now) {
        try {
            return data.hasNonNull("occurred_at") ? java.time.OffsetDateTime.parse(data.get("occurred_at").asText()).toInstant() : now;
        } catch (DateTimeParseException e) {
            return now;
        }
    }
}
