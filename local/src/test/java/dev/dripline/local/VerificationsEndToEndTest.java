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
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A verification code from the API to the simulated handset and back, at 3 a.m. where the handset is. */
class VerificationsEndToEndTest {

    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static JsonNode call(String method, String path, String body, String key, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return Json.mapper().readTree(response.body());
    }

    @Test
    void theHandsetReceivesTheCodeInQuietHoursAndItWorksOnce() throws Exception {
        // Quiet hours hold marketing, not codes: move the clock to 03:00 in Los Angeles.
        ZonedDateTime now = ZonedDateTime.ofInstant(runtime.clock().instant(), ZoneId.of("America/Los_Angeles"));
        ZonedDateTime threeAm = now.toLocalDate().plusDays(1).atTime(3, 0).atZone(now.getZone());
        runtime.clock().advance(Duration.between(now, threeAm));

        // The printed key is an admin key: it makes a key that may only send.
        String sender = call("POST", "/v1/api-keys", "{\"name\":\"login\",\"scopes\":[\"send\"]}", runtime.apiKey(), 201)
                .path("secret").asText();
        String phone = "+14155550160";
        call("POST", "/v1/verifications", "{\"to\":\"" + phone + "\",\"channel\":\"sms\"}", sender, 202);

        JsonNode items = null;
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            items = call("GET", "/local/phones/" + phone + "/messages", null, null, 200).path("items");
            if (items.size() > 0) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(items).hasSize(1);
        Matcher code = Pattern.compile("\\d{6}").matcher(items.get(0).path("body").asText());
        assertThat(code.find()).as(items.toString()).isTrue();

        String check = "{\"to\":\"" + phone + "\",\"code\":\"" + code.group() + "\"}";
        assertThat(call("POST", "/v1/verifications/check", check, sender, 200).path("status").asText()).isEqualTo("approved");
        assertThat(call("POST", "/v1/verifications/check", check, sender, 200).path("status").asText()).isEqualTo("denied");
    }
}
