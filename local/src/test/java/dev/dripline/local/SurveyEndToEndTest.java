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
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NPS survey of events/campaign-nps-survey.json on the local runtime, over HTTP, with the
 * movable clock and the handsets' signed inbound webhook: 3 is saved and leads to the detractor
 * step, "abc" is asked again twice and then given up on, 10 leads to the promoter step, and the
 * campaign's stats show the answers' distribution and NPS.
 */
class SurveyEndToEndTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalRuntime runtime;
    private static String campaign;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20"));
        campaign = api("POST", "/v1/campaigns", java.nio.file.Files.readString(java.nio.file.Path.of("../events/campaign-nps-survey.json")))
                .path("id").asText();
        api("POST", "/v1/campaigns/" + campaign + "/activate", null);
        // 10:00 in New York: inside the quiet hours' opening.
        ZonedDateTime local = now().atZone(NEW_YORK);
        ZonedDateTime ten = local.toLocalDate().plusDays(1).atTime(LocalTime.of(10, 0)).atZone(NEW_YORK);
        api("POST", "/local/clock/advance", "{\"duration\":\"" + Duration.between(now(), ten.toInstant()) + "\"}");
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static JsonNode api(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + runtime.apiKey());
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return response.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(response.body());
    }

    private static Instant now() throws Exception {
        return Instant.parse(api("GET", "/local/clock", null).path("now").asText());
    }

    /** The texts the handset received, oldest first. */
    private static List<String> received(String phone) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode m : api("GET", "/local/phones/" + phone + "/messages", null).path("items")) {
            if (!"inbound".equals(m.path("direction").asText())) {
                out.add(m.path("body").asText());
            }
        }
        return out;
    }

    private static List<String> waitForTexts(String phone, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        List<String> texts = received(phone);
        while (texts.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            texts = received(phone);
        }
        assertThat(texts).as("texts on " + phone).hasSizeGreaterThanOrEqualTo(count);
        return texts;
    }

    private static JsonNode waitForEnrolment(String contactId, Predicate<JsonNode> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url() + "/v1/campaigns/" + campaign
                    + "/enrolments/" + contactId)).header("Authorization", "Bearer " + runtime.apiKey()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && until.test(Json.mapper().readTree(r.body()))) {
                return Json.mapper().readTree(r.body());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("enrolment of " + contactId + " never got there");
    }

    private static String surveyed(String phone) throws Exception {
        String id = api("POST", "/v1/contacts", "{\"phone\":\"" + phone + "\",\"firstName\":\"Pat\","
                + "\"consent\":{\"status\":\"opted_in\",\"source\":\"checkout\",\"proof\":\"Text me\"}}").path("id").asText();
        api("POST", "/v1/events", "{\"contactId\":\"" + id + "\",\"name\":\"order_delivered\"}");
        assertThat(waitForTexts(phone, 1).get(0)).contains("from 0 to 10");
        waitForEnrolment(id, e -> "reply".equals(e.path("waiting").asText()));
        return id;
    }

    private static void reply(String phone, String body) throws Exception {
        JsonNode sent = api("POST", "/local/phones/" + phone + "/reply", "{\"body\":\"" + body + "\"}");
        assertThat(sent.path("webhookStatus").asInt()).as("the signed inbound webhook is taken").isBetween(200, 299);
    }

    @Test
    void threeIsADetractorAbcIsAskedAgainTwiceThenGivenUpAndTheStatsShowTheNps() throws Exception {
        String three = "+12125550401";
        String abc = "+12125550402";
        String ten = "+12125550403";
        String threeId = surveyed(three);
        String abcId = surveyed(abc);
        String tenId = surveyed(ten);

        reply(three, "3");
        assertThat(waitForTexts(three, 2).get(1)).endsWith("What could we do better?");
        JsonNode detractor = waitForEnrolment(threeId, e -> "detractor".equals(e.path("stepId").asText()));
        assertThat(detractor.path("history").toString()).contains("answer nps=3");
        assertThat(api("GET", "/v1/contacts/" + threeId, null).path("attributes").path("nps").asInt()).isEqualTo(3);

        for (int asked = 2; asked <= 3; asked++) {
            reply(abc, "abc");
            assertThat(waitForTexts(abc, asked).get(asked - 1)).endsWith("Please answer with a number from 0 to 10");
            int count = asked;
            waitForEnrolment(abcId, e -> e.path("history").toString().contains("(" + (count - 1) + " of 2)"));
        }
        reply(abc, "abc");
        JsonNode gaveUp = waitForEnrolment(abcId, e -> "completed".equals(e.path("state").asText()));
        assertThat(gaveUp.path("endReason").asText()).isEqualTo("exit:done");
        assertThat(gaveUp.path("history").toString()).contains("gave up -> done");
        assertThat(api("GET", "/v1/contacts/" + abcId, null).path("attributes").has("nps")).isFalse();

        reply(ten, "10");
        assertThat(waitForTexts(ten, 2).get(1)).contains("Here is 10% off");
        waitForEnrolment(tenId, e -> "completed".equals(e.path("state").asText()));

        runtime.awaitSettled(Duration.ofSeconds(20));
        assertThat(received(abc)).as("nothing after giving up").hasSize(3);
        JsonNode nps = api("GET", "/v1/campaigns/" + campaign + "/stats", null).path("answers").path("nps");
        assertThat(nps.path("answered").asLong()).isEqualTo(2);
        assertThat(nps.path("invalid").asLong()).isEqualTo(3);
        assertThat(nps.path("gaveUp").asLong()).isEqualTo(1);
        assertThat(nps.path("distribution")).isEqualTo(Json.mapper().readTree("{\"3\": 1, \"10\": 1}"));
        assertThat(nps.path("nps").path("score").asDouble()).as("1 promoter, 1 detractor of 2").isZero();
        assertThat(nps.path("nps").path("promoters").asLong()).isEqualTo(1);
        assertThat(nps.path("nps").path("detractors").asLong()).isEqualTo(1);
    }
}
