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
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /local/clock/advance} lets time pass as it would: one advance of three days runs
 * a three-day drip whole, each step at its own time, and the handset's stamps say when.
 */
class ClockAdvanceEndToEndTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + runtime.apiKey());
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode api(String method, String path, String body) throws Exception {
        HttpResponse<String> response = call(method, path, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return Json.mapper().readTree(response.body());
    }

    private static JsonNode advance(Duration by) throws Exception {
        return api("POST", "/local/clock/advance", "{\"duration\":\"" + by + "\"}");
    }

    private static ZonedDateTime now() throws Exception {
        return Instant.parse(api("GET", "/local/clock", null).path("now").asText()).atZone(NEW_YORK);
    }

    @Test
    void oneAdvanceRunsAThreeDayDripWithEachStepAtItsOwnTime() throws Exception {
        ZonedDateTime local = now();
        ZonedDateTime evening = local.toLocalDate().atTime(20, 30).atZone(NEW_YORK);
        advance(Duration.between(local, evening.isAfter(local) ? evening : evening.plusDays(1)));
        LocalDate day = now().toLocalDate();

        String contact = api("POST", "/v1/contacts", """
                {"phone": "+12125550177", "firstName": "Ida",
                 "consent": {"status": "opted_in", "source": "web_form", "proof": "Text me tips"}}""").path("id").asText();
        String campaign = api("POST", "/v1/campaigns", """
                {"name": "Onboarding", "category": "marketing", "trigger": {"event": "joined"},
                 "sendWindow": {"start": "09:00", "end": "20:00"},
                 "steps": [
                   {"id": "welcome", "send": {"body": "Welcome, {{firstName}}"}},
                   {"id": "tip", "wait": "P1D", "send": {"body": "A tip"}},
                   {"id": "last", "wait": "P1D", "send": {"body": "A last word"}}]}""").path("id").asText();
        api("POST", "/v1/campaigns/" + campaign + "/activate", null);
        api("POST", "/v1/events", "{\"contactId\":\"" + contact + "\",\"name\":\"joined\"}");

        JsonNode advanced = advance(Duration.ofDays(3));
        assertThat(advanced.path("stops").asInt()).as("it stopped at each step: %s; enrolment %s; handset %s", advanced,
                        api("GET", "/v1/campaigns/" + campaign + "/enrolments/" + contact, null),
                        api("GET", "/local/phones/+12125550177/messages", null)).isGreaterThanOrEqualTo(3);
        assertThat(advanced.has("jumped")).isFalse();

        JsonNode items = api("GET", "/local/phones/+12125550177/messages", null).path("items");
        assertThat(items).extracting(m -> m.path("body").asText())
                .containsExactly("Dripline Demo: Welcome, Ida Reply STOP to opt out", "Dripline Demo: A tip", "Dripline Demo: A last word");
        for (int i = 0; i < 3; i++) {
            ZonedDateTime at = Instant.parse(items.get(i).path("at").asText()).atZone(NEW_YORK);
            assertThat(at.toLocalDate()).as("message %d's day", i).isEqualTo(day.plusDays(1 + i));
            assertThat(at.toLocalTime()).as("message %d: at the window's opening, not at 20:30", i)
                    .isBetween(LocalTime.of(9, 0), LocalTime.of(9, 0, 5));
        }
        JsonNode enrolment = api("GET", "/v1/campaigns/" + campaign + "/enrolments/" + contact, null);
        assertThat(enrolment.path("state").asText()).isEqualTo("completed");
    }

    @Test
    void anAdvanceWithNothingDueIsOneJump() throws Exception {
        ZonedDateTime before = now();
        JsonNode advanced = advance(Duration.ofHours(2));
        assertThat(advanced.path("stops").asInt()).isZero();
        assertThat(Duration.between(before.toInstant(), Instant.parse(advanced.path("now").asText())))
                .isBetween(Duration.ofHours(2), Duration.ofHours(2).plusSeconds(5));
        JsonNode clock = api("GET", "/local/clock", null);
        Instant now = Instant.parse(clock.path("now").asText());
        assertThat(Instant.parse(clock.path("tomorrow").asText())).isBetween(now.plus(Duration.ofDays(1)).minusSeconds(1),
                now.plus(Duration.ofDays(1)));
        assertThat(clock.path("tomorrowDate").asText()).isEqualTo(clock.path("tomorrow").asText().substring(0, 10));
    }

    @Test
    void aBadDurationIsRefusedNamingTheField() throws Exception {
        HttpResponse<String> r = call("POST", "/local/clock/advance", "{\"duration\":\"-PT1H\"}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("duration").contains("forward");
    }
}
