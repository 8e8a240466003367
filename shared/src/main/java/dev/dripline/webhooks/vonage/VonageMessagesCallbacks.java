package dev.dripline.webhooks.vonage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.conversations.InboundMedia;
import dev.dripline.conversations.InboundSms;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Refused;
import dev.dripline.json.Json;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.receipts.DeliveryReceipt;
import dev.dripline.webhooks.Hmac;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Vonage Messages API webhooks (the API that carries MMS; the SMS API carries text only), inbound
 * messages and message statuses, without HTTP. Each is signed with a JWT in {@code Authorization: Bearer}, HS256 with the
 * account's signature secret, whose {@code payload_hash} claim is the hex SHA-256 of the raw body;
 * then the JSON is read: {@code message_uuid, from, to, channel, message_type} and, by type,
 * {@code text} or {@code image|video|audio|file|vcard: {url, caption?}}.
 */
public final class VonageMessagesCallbacks {

    /** How far a token's {@code iat} may be from now (a replayed webhook is refused). */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "file", "vcard");

    /**
     * The Messages API's statuses in the one model: {@code submitted} (passed to a carrier) is sent;
     * {@code read} implies delivered; {@code rejected} (refused by Vonage or the carrier, an error
     * object says why) and {@code undeliverable} (Vonage could not reach the carrier) never reached
     * the handset: failed.
     */
    private static final Map<String, MessageStatus> STATUSES = Map.of(
            "submitted", MessageStatus.SENT,
            "delivered", MessageStatus.DELIVERED,
            "read", MessageStatus.DELIVERED,
            "rejected", MessageStatus.FAILED,
            "undeliverable", MessageStatus.FAILED);

    /** Messages API error 1050, "Number barred": the recipient is on a block list (sent STOP to Vonage); an opt-out. */
    public static final String NUMBER_BARRED = "1050";

    private final Optional<String> secret;

    /** @param secret DRIPLINE_VONAGE_SIGNATURE_SECRET; absent refuses everything */
    public VonageMessagesCallbacks(Optional<String> secret) {
        this.secret = secret;
    }

    /**
     * The webhook's JSON if the bearer token is an HS256 JWT signed with the secret, issued within
     * five minutes of {@code now}, whose {@code payload_hash} matches the body.
     */
    public JsonNode verified(String authorization, String rawBody, Instant now) {
        if (secret.isEmpty()) {
            throw new Refused("Vonage webhooks are not configured (DRIPLINE_VONAGE_SIGNATURE_SECRET)");
        }
        String token = authorization == null ? "" : authorization.trim();
        if (!token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Refused("missing Authorization: Bearer <Vonage JWT>");
        }
        JsonNode claims = claims(secret.get(), token.substring(7).trim());
        String body = rawBody == null ? "" : rawBody;
        if (!Hmac.equal(Hmac.sha256Hex(body), claims.path("payload_hash").asText("").toLowerCase(java.util.Locale.ROOT))) {
            throw new Refused("the Vonage JWT's payload_hash does not match the body");
        }
        if (!claims.path("iat").canConvertToLong() || Math.abs(now.getEpochSecond() - claims.path("iat").asLong()) > TOLERANCE.toSeconds()) {
            throw new Refused("the Vonage JWT was not issued within 5 minutes");
        }
        try {
            JsonNode json = Json.mapper().readTree(body);
            if (json == null || !json.isObject()) {
                throw InvalidInput.of("body", "must be a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw InvalidInput.of("body", "is not valid JSON");
        }
    }

    /** The claims of an HS256 token signed with {@code secret}; anything else is refused. */
    static JsonNode claims(String secret, String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused("malformed Vonage JWT");
        }
        try {
            JsonNode header = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (header == null || !"HS256".equals(header.path("alg").asText())) {
                throw new Refused("the Vonage JWT must be HS256");
            }
            byte[] expected = Hmac.of("HmacSHA256", secret, parts[0] + "." + parts[1]);
            if (!Hmac.equal(expected, Base64.getUrlDecoder().decode(parts[2]))) {
                throw new Refused("wrong Vonage JWT signature");
            }
            JsonNode claims = Json.mapper().readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            if (claims == null || !claims.isObject()) {
                throw new Refused("malformed Vonage JWT");
            }
            return claims;
        } catch (IOException | IllegalArgumentException e) {
            throw new Refused("malformed Vonage JWT");
        }
    }

    /** An HS256 token over {@code claims} (the local runtime's and tests' stand-in for Vonage). */
    public static String sign(String secret, String claimsJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String head = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        return head + "." + b64.encodeToString(Hmac.of("HmacSHA256", secret, head));
    }

    /**
     * An inbound message ({@code channel} sms or mms); empty for other channels (WhatsApp, Messenger...)
     * and for a type that carries neither text nor media (a location, a reaction).
     */
    public static Optional<InboundSms> inbound(JsonNode json, Instant now) {
        String channel = json.path("channel").asText("");
        if (!channel.equals("sms") && !channel.equals("mms")) {
            return Optional.empty();
        }
        String type = json.path("message_type").asText("text");
        String text;
        List<InboundMedia> media;
        if (type.equals("text")) {
            text = json.path("text").asText("");
            media = List.of();
        } else if (MEDIA_TYPES.contains(type)) {
            JsonNode item = json.path(type);
            String url = item.path("url").asText("");
            if (url.isBlank()) {
                throw InvalidInput.of(type + ".url", "is required");
            }
            text = item.path("caption").asText(json.path("text").asText(""));
            media = List.of(new InboundMedia(url, null, null));
        } else {
            return Optional.empty();
        }
        return Optional.of(new InboundSms("vonage", required(json, "message_uuid"), VonageCallbacks.e164(required(json, "from")),
                VonageCallbacks.e164(required(json, "to")), text, time(json, now), media));
    }

    /**
     * The receipt a Messages API status reports ({@code message_uuid, to, from, timestamp, status,
     * channel, client_ref, error: {type, title, detail, instance}}); empty for a channel other than
     * sms and mms, for a status outside the model, and for one that names no Dripline message
     * (neither {@code client_ref} nor the status URL's {@code m}: a message another system sent
     * through the same Vonage application). Dripline's id is {@code client_ref}, which the adapter
     * sets to it, else the URL's {@code m}.
     *
     * <p>The error code is {@code error.title} when it is a number (the Messages API's code, e.g.
     * 1050), else the code after {@code #} in {@code error.type}, else the title as sent.
     */
    public static Optional<DeliveryReceipt> receipt(JsonNode json, String fallbackMessageId, Instant now) {
        String channel = json.path("channel").asText("");
        if (!channel.equals("sms") && !channel.equals("mms")) {
            return Optional.empty();
        }
        String uuid = required(json, "message_uuid");
        String reported = required(json, "status").trim().toLowerCase(Locale.ROOT);
        String messageId = text(json.get("client_ref"));
        if (messageId == null) {
            messageId = fallbackMessageId == null || fallbackMessageId.isBlank() ? null : fallbackMessageId;
        }
        MessageStatus status = STATUSES.get(reported);
        if (messageId == null || status == null) {
            return Optional.empty();
        }
        String errorCode = errorCode(json.get("error"));
        return Optional.of(new DeliveryReceipt("vonage", messageId, uuid, status, errorCode, time(json, now), uuid + ":" + reported,
                NUMBER_BARRED.equals(errorCode)));
    }

    /** The Messages API's error code of a status's {@code error} object; null when there is none. */
    static String errorCode(JsonNode error) {
        if (error == null || !error.isObject()) {
            return null;
        }
        String title = text(error.get("title"));
        if (title != null && title.chars().allMatch(Character::isDigit)) {
            return title;
        }
        String type = text(error.get("type"));
        if (type != null && type.indexOf('#') >= 0) {
            String fragment = type.substring(type.lastIndexOf('#') + 1).trim();
            if (!fragment.isEmpty()) {
                return fragment;
            }
        }
        return title == null || title.length() <= 64 ? title : title.substring(0, 64);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String v = node.asText("").trim();
        return v.isEmpty() ? null : v;
    }

    private static String required(JsonNode json, String field) {
        String v = json.path(field).asText("");
        if (v.isBlank()) {
            throw InvalidInput.of(field, "is required");
        }
        return v;
    }

    private static Instant time(JsonNode json, Instant now) {
        try {
            return json.hasNonNull("timestamp") ? OffsetDateTime.parse(json.get("timestamp").asText()).toInstant() : now;
        } catch (DateTimeParseException e) {
            return now;
        }
    }
}
