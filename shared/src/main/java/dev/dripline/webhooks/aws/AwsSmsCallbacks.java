package dev.dripline.webhooks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.conversations.InboundSms;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.receipts.DeliveryReceipt;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * AWS End User Messaging SMS through SNS: the {@code Message} of a verified notification read as
 * a two-way inbound SMS or a delivery event.
 */
public final class AwsSmsCallbacks {

    private static final Map<String, MessageStatus> STATUSES = Map.ofEntries(
            Map.entry("TEXT_PENDING", MessageStatus.QUEUED),
            Map.entry("TEXT_QUEUED", MessageStatus.QUEUED),
            Map.entry("TEXT_SUCCESSFUL", MessageStatus.SENT),
            Map.entry("TEXT_DELIVERED", MessageStatus.DELIVERED),
            Map.entry("TEXT_INVALID", MessageStatus.FAILED),
            Map.entry("TEXT_INVALID_MESSAGE", MessageStatus.FAILED),
            Map.entry("TEXT_BLOCKED", MessageStatus.FAILED),
            Map.entry("TEXT_SPAM", MessageStatus.FAILED),
            Map.entry("TEXT_CARRIER_BLOCKED", MessageStatus.FAILED),
            Map.entry("TEXT_UNREACHABLE", MessageStatus.UNDELIVERED),
            Map.entry("TEXT_CARRIER_UNREACHABLE", MessageStatus.UNDELIVERED),
            Map.entry("TEXT_TTL_EXPIRED", MessageStatus.EXPIRED));

    private AwsSmsCallbacks() {
    }

    public static InboundSms inbound(SnsEnvelope envelope, Instant now) {
        JsonNode m = message(envelope);
        return new InboundSms("aws", required(m, "inboundMessageId"), required(m, "originationNumber"), required(m, "destinationNumber"),
                m.path("messageBody").asText(""), now);
    }

    /** The receipt a delivery event reports; empty for an event outside the model (TEXT_UNKNOWN, new types). */
    public static Optional<DeliveryReceipt> receipt(SnsEnvelope envelope, Instant now) {
        JsonNode m = message(envelope);
        String eventType = required(m, "eventType").toUpperCase(Locale.ROOT);
        MessageStatus status = STATUSES.get(eventType);
        if (status == null) {
            return Optional.empty();
        }
        String messageId = m.path("context").path("messageId").asText("");
        if (messageId.isBlank()) {
            throw InvalidInput.of("context.messageId", "is required: it carries Dripline's message id");
        }
        String providerId = required(m, "messageId");
        String detail = m.path("messageStatus").asText("");
        String description = m.path("messageStatusDescription").asText("").toLowerCase(Locale.ROOT);
        // TEXT_BLOCKED is a block by the device or the carrier: a failed delivery, not the recipient's opt-out.
        boolean optedOut = "OPTED_OUT".equalsIgnoreCase(detail) || "DESTINATION_PHONE_NUMBER_OPTED_OUT".equalsIgnoreCase(detail)
                || description.contains("opted out") || description.contains("opted-out");
        String errorCode = status == MessageStatus.DELIVERED || status == MessageStatus.SENT || status == MessageStatus.QUEUED ? null
                : detail.isBlank() ? eventType : detail;
        return Optional.of(new DeliveryReceipt("aws", messageId, providerId, status, errorCode, now,
                providerId + ":" + eventType, optedOut));
    }

    private static JsonNode message(SnsEnvelope envelope) {
        try {
            JsonNode m = Json.mapper().readTree(envelope.message() == null ? "" : envelope.message());
            if (m == null || !m.isObject()) {
                throw InvalidInput.of("Message", "must be a JSON object");
            }
            return m;
        } catch (IOException e) {
            throw InvalidInput.of("Message", "is not valid JSON");
        }
    }

    private static String required(JsonNode m, String field) {
        String v = m.path(field).asText("");
        if (v.isBlank()) {
            throw InvalidInput.of("Message." + field, "is required");
        }
        return v;
    }
}
