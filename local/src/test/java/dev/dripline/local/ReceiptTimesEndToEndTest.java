package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A message's history carries the time each receipt reports, not the time the webhook reached
 * us: after a clock advance of days, a message sent on the first day is delivered on that day
 * (otherwise the dashboard shows days with more delivered than sent).
 */
class ReceiptTimesEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void receiptsAreStampedWithTheCarriersTimeNotTheEndOfTheAdvance() throws Exception {
        // The carrier's default-like latency: its receipts reach us after the advance has moved on.
        try (LocalRuntime runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "300"))) {
            Instant sendAt = Instant.parse(api(runtime, "GET", "/local/clock", null).path("now").asText()).plus(Duration.ofDays(1));
            String id = api(runtime, "POST", "/v1/messages", "{\"to\": \"+12125550178\", \"body\": \"Your table is booked\", "
                    + "\"category\": \"transactional\", \"sendAt\": \"" + sendAt + "\"}").path("id").asText();

            api(runtime, "POST", "/local/clock/advance", "{\"duration\":\"P3D\"}");

            JsonNode message = null;
            for (int i = 0; i < 200; i++) {
                message = api(runtime, "GET", "/v1/messages/" + id, null);
                String history = message.path("history").toString();
                if ("delivered".equals(message.path("status").asText()) && history.contains("\"sent\"")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(message.path("status").asText()).as("%s", message).isEqualTo("delivered");
            Map<String, Instant> at = new HashMap<>();
            message.path("history").forEach(h -> at.putIfAbsent(h.path("status").asText(), Instant.parse(h.path("at").asText())));
            assertThat(at.get("sent")).as("history %s", message.path("history")).isBetween(sendAt, sendAt.plusSeconds(60));
            assertThat(at.get("delivered")).as("history %s: delivered when the carrier said, a day into the advance, "
                    + "not when the advance ended two days later", message.path("history")).isBetween(sendAt, sendAt.plusSeconds(60));
        }
    }

    private static JsonNode api(LocalRuntime runtime, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + runtime.apiKey()).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return Json.mapper().readTree(response.body());
    }
}
