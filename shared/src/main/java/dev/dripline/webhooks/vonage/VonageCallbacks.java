package dev.dripline.webhooks.vonage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Refused;
import dev.dripline.json.Json;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.receipts.DeliveryReceipt;
import dev.dripline.webhooks.Form;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Vonage SMS API webhooks without HTTP: the parameters (a GET query, a POST form or a POST JSON
 * object, as the account's webhook method says) verified by their {@code sig}, then read as an
 * inbound part or a delivery receipt.
 */
public final class VonageCallbacks {

    /** How far the signed {@code timestamp} may be from now. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    /** DLR err-code 9, "Illegal Number": the number is blacklisted (it sent STOP to Vonage); an opt-out. */
    public static final String BLACKLISTED = "9";

    private static final Map<String, MessageStatus> STATUSES = Map.of(
            "accepted", MessageStatus.SENT,
            "buffered", MessageStatus.SENT,
            "delivered", MessageStatus.DELIVERED,
            "expired", MessageStatus.EXPIRED,
            "failed", MessageStatus.FAILED,
            "rejected", MessageStatus.FAILED);

    private final Optional<String> secret;
    private final String method;

    public VonageCallbacks(Optional<String> secret, String method) {
        this.secret = secret;
        this.method = method;
        VonageSignature.compute(method, "check", Form.of(List.of())); // a wrong method fails the start
    }

    /**
     * The webhook's parameters: from the query for a GET, else from the body, JSON when the
     * content type says so, a form otherwise.
     */
    public static Form parameters(String httpMethod, String rawQuery, String contentType, String body) {
        if ("GET".equalsIgnoreCase(httpMethod) || body == null || body.isBlank()) {
            return Form.parse(rawQuery);
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            return json(body);
        }
        return Form.parse(body);
    }

    private static Form json(String body) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw InvalidInput.of("body", "is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw InvalidInput.of("body", "must be a JSON object");
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                fields.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(),
                        e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            }
        }
        return Form.of(fields);
    }

    /**
     * The parameters, if signed with the signature secret and timestamped within five minutes.
     *
     * @throws Refused unsigned, mis-signed, stale, or no signature secret configured
     */
    public Form verified(String httpMethod, String rawQuery, String contentType, String body, Instant now) {
        if (secret.isEmpty()) {
            throw new Refused("Vonage webhooks are not configured (DRIPLINE_VONAGE_SIGNATURE_SECRET)");
        }
        Form params;
        try {
            params = parameters(httpMethod, rawQuery, contentType, body);
        } catch (InvalidInput malformed) {
            throw new Refused("missing or wrong Vonage sig");
        }
        if (!VonageSignature.verify(method, secret.get(), params)) {
            throw new Refused("missing or wrong Vonage sig");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(params.first("timestamp").orElse("").trim());
        } catch (NumberFormatException e) {
            throw new Refused("Vonage signed request without a timestamp");
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > TOLERANCE.toSeconds()) {
            throw new Refused("Vonage signed request outside the 5-minute window");
        }
        return params;
    }

    /** One inbound message, or one part of a long one. */
    public static InboundPart inbound(Form params, Instant now) {
        String type = params.first("type").orElse("text");
        String text = "binary".equalsIgnoreCase(type) ? "" : params.first("text").orElse("");
        boolean concat = "true".equalsIgnoreCase(params.first("concat").orElse("false"));
        Integer total = concat ? positive(params, "concat-total") : null;
        Integer part = concat ? positive(params, "concat-part") : null;
        if (concat && part > total) {
            throw InvalidInput.of("concat-part", "must not exceed concat-total");
        }
        return new InboundPart(params.required("messageId"), e164(params.required("msisdn")), e164(params.required("to")), text,
                concat ? params.required("concat-ref") : null, total, part, now);
    }

    private static int positive(Form params, String name) {
        try {
            int n = Integer.parseInt(params.required(name).trim());
            if (n >= 1 && n <= 255) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw InvalidInput.of(name, "must be a whole number from 1 to 255");
    }

    /**
     * The receipt a DLR reports; empty for {@code unknown} (no news) or a status outside the model.
     *
     * @param fallbackMessageId the callback URL's {@code m}, used when {@code client-ref} is absent
     */
    public static Optional<DeliveryReceipt> receipt(Form params, String fallbackMessageId, Instant now) {
        String messageId = params.first("client-ref").filter(s -> !s.isBlank()).orElse(fallbackMessageId);
        if (messageId == null || messageId.isBlank()) {
            throw InvalidInput.of("client-ref", "is required: it carries Dripline's message id");
        }
        String providerId = params.required("messageId");
        String reported = params.required("status").trim().toLowerCase(Locale.ROOT);
        MessageStatus status = STATUSES.get(reported);
        if (status == null) {
            return Optional.empty();
        }
        String errorCode = params.first("err-code").map(String::trim).filter(c -> !c.isEmpty() && !"0".equals(c)).orElse(null);
        // One DLR per part: the part's own id keeps each part's report distinct.
        return Optional.of(new DeliveryReceipt("vonage", messageId, providerId, status, errorCode, now, providerId + ":" + reported,
                BLACKLISTED.equals(errorCode)));
    }

    /** Vonage sends numbers without the plus; alphanumeric senders stay as they are. */
    static String e164(String number) {
        String n = number.trim();
        return n.startsWith("+") || !n.chars().allMatch(Character::isDigit) ? n : "+" + n;
    }
}
