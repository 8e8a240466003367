package dev.dripline.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated carrier's send API, spoken over HTTP like a real provider:
 * {@code POST {url}/messages} with JSON {@code {from, to, body, messageId, statusCallback, mediaUrls?}},
 * answered {@code 201 {id, parts}}. The local runtime serves it.
 */
public final class SimulatorProvider implements SmsProvider {

    private final HttpClient http;
    private final URI messagesUrl;

    public SimulatorProvider(HttpClient http, URI baseUrl) {
        this.http = http;
        this.messagesUrl = URI.create(baseUrl + "/messages");
    }

    @Override
    public String name() {
        return "simulator";
    }

    @Override
    public SendOutcome send(OutboundSms sms) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("from", sms.from());
        payload.put("to", sms.to());
        payload.put("body", sms.body());
        if (sms.isMms()) {
            // The simulated carrier fetches each URL as a provider would, and the handset shows what it got.
            payload.put("mediaUrls", sms.media().stream().map(m -> m.url().toString()).toList());
        }
        payload.put("messageId", sms.messageId());
        payload.put("statusCallback", sms.statusCallback().toString());
        HttpRequest request = HttpRequest.newBuilder(messagesUrl)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(payload)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException refused) {
            return new SendOutcome.Retryable("simulator unreachable: " + refused.getMessage(), Optional.empty());
        } catch (HttpTimeoutException timeout) {
            return new SendOutcome.Unknown("simulator did not answer in time");
        } catch (IOException e) {
            return new SendOutcome.Unknown("simulator connection broke: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendOutcome.Unknown("interrupted while waiting for the simulator");
        }
        int status = response.statusCode();
        if (status == 201 || status == 200) {
            JsonNode body = Json.read(response.body(), JsonNode.class);
            return new SendOutcome.Accepted(body.path("id").asText(), body.path("parts").isInt() ? body.path("parts").asInt() : null, null);
        }
        if (status == 429 || status == 503) {
            Optional<Duration> after = response.headers().firstValue("Retry-After").flatMap(SimulatorProvider::seconds);
            return new SendOutcome.Retryable("simulator answered " + status, after);
        }
        JsonNode error = safeJson(response.body());
        String code = error.path("code").asText(Integer.toString(status));
        return new SendOutcome.Permanent(code, error.path("message").asText("simulator answered " + status),
                "opted_out".equals(error.path("code").asText()));
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static JsonNode safeJson(String body) {
        try {
            return Json.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return Json.mapper().createObjectNode();
        }
    }
}
