package dev.dripline.webhooks.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Dripline;
import dev.dripline.conversations.InboundMedia;
import dev.dripline.conversations.InboundSms;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Refused;
import java.time.Clock;
import dev.dripline.json.Json;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.receipts.DeliveryReceipt;
import dev.dripline.webhooks.SimulatorSignature;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Post;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated carrier's callbacks. Like every provider's, they are refused (403, nothing
 * stored) unless signed with the shared secret over the public URL and the raw body.
 */
@Controller("/webhooks/simulator")
public class SimulatorWebhooks {

    private final Dripline dripline;

    public SimulatorWebhooks(Dripline dripline) {
        this.dripline = dripline;
    }

    @Post("/status")
    public HttpResponse<?> status(HttpRequest<?> request, @Nullable @Header(SimulatorSignature.HEADER) String signature,
                                  @Nullable @Body String body) {
        verify(request, signature, body);
        JsonNode json = parse(body);
        List<FieldError> errors = new ArrayList<>();
        String messageId = request.getParameters().getFirst("m").orElse(json.path("messageId").asText(null));
        if (messageId == null || messageId.isBlank()) {
            errors.add(new FieldError("messageId", "is required (or the m query parameter)"));
        }
        MessageStatus status = null;
        try {
            status = MessageStatus.fromWire(json.path("status").asText(""));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("status", "must be one of accepted, queued, sent, delivered, undelivered, failed, expired"));
        }
        String providerId = json.path("id").asText(null);
        if (providerId == null || providerId.isBlank()) {
            errors.add(new FieldError("id", "is required"));
        }
        Instant at = instant(json, "at", dripline.clock(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        dripline.receipts().apply(new DeliveryReceipt("simulator", messageId, providerId, status,
                json.path("errorCode").asText(null), at, providerId + ":" + status.wire()));
        return HttpResponse.noContent();
    }

    @Post("/inbound")
    public HttpResponse<?> inbound(HttpRequest<?> request, @Nullable @Header(SimulatorSignature.HEADER) String signature,
                                   @Nullable @Body String body) {
        verify(request, signature, body);
        JsonNode json = parse(body);
        List<FieldError> errors = new ArrayList<>();
        for (String field : List.of("id", "from", "to")) {
            if (json.path(field).asText("").isBlank()) {
                errors.add(new FieldError(field, "is required"));
            }
        }
        if (!json.path("body").isTextual()) {
            errors.add(new FieldError("body", "is required (empty with media)"));
        }
        List<InboundMedia> media = media(json.path("media"), errors);
        Instant at = instant(json, "at", dripline.clock(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        dripline.conversations().receive(new InboundSms("simulator", json.path("id").asText(), json.path("from").asText(),
                json.path("to").asText(), json.path("body").asText(), at, media));
        return HttpResponse.noContent();
    }

    /** A handset's MMS: {@code media: [{url, contentType?}]}, each served by the simulated carrier. */
    private static List<InboundMedia> media(JsonNode items, List<FieldError> errors) {
        List<InboundMedia> media = new ArrayList<>();
        if (items.isMissingNode() || items.isNull()) {
            return media;
        }
        if (!items.isArray() || items.size() > InboundSms.MAX_MEDIA) {
            errors.add(new FieldError("media", "must be an array of at most " + InboundSms.MAX_MEDIA + " {url, contentType}"));
            return media;
        }
        for (int i = 0; i < items.size(); i++) {
            String url = items.get(i).path("url").asText("");
            if (url.isBlank()) {
                errors.add(new FieldError("media[" + i + "].url", "is required"));
            } else {
                media.add(new InboundMedia(url, items.get(i).path("contentType").asText(null), null));
            }
        }
        return media;
    }

    private void verify(HttpRequest<?> request, String signature, String body) {
        String url = PublicUrl.of(request, dripline.settings()) + request.getUri().toString();
        if (!SimulatorSignature.verify(dripline.settings().simulator().secret().reveal(), signature, url, body == null ? "" : body,
                dripline.clock().instant())) {
            throw new Refused("missing, malformed, expired or wrong " + SimulatorSignature.HEADER);
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body == null ? "" : body);
            if (node == null || !node.isObject()) {
                throw InvalidInput.of("body", "must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw InvalidInput.of("body", "is not valid JSON");
        }
    }

    private static Instant instant(JsonNode json, String field, Clock clock, List<FieldError> errors) {
        String value = json.path(field).asText(null);
        if (value == null) {
            return clock.instant();
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 UTC time"));
            return null;
        }
    }
}
