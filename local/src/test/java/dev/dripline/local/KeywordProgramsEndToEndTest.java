package dev.dripline.local;

import dev.dripline.messaging.SenderSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Settings;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keyword programs on the local runtime, over HTTP: PARK created through the API answers a handset's
 * "park 1234" (sent through the signed inbound webhook) with the lot in the text and records the
 * event that enrols a campaign; "park abc" gets the help text; text-to-join asks Y, and Y opts the
 * contact in with the keyword, the number texted and both times in the ledger.
 */
class KeywordProgramsEndToEndTest {

    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Answer(int status, JsonNode json) {
    }

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20",
                "DRIPLINE_API_RATE", "1000", "DRIPLINE_API_BURST", "1000"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static Answer call(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + runtime.apiKey());
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(response.body()));
    }

    static JsonNode api(String method, String path, String body) throws Exception {
        Answer a = call(method, path, body);
        assertThat(a.status()).as(method + " " + path + ": " + a.json()).isLessThan(300);
        return a.json();
    }

    /** The handset texts Dripline: the simulated carrier posts it to the signed inbound webhook. */
    static void text(String phone, String body) throws Exception {
        JsonNode reply = api("POST", "/local/phones/" + phone + "/reply", Json.write(Map.of("body", body)));
        assertThat(reply.path("webhookStatus").asInt()).as("the signed webhook took it").isEqualTo(204);
    }

    static List<String> received(String phone) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (JsonNode m : api("GET", "/local/phones/" + phone + "/messages", null).path("items")) {
            if ("outbound".equals(m.path("direction").asText())) {
                bodies.add(m.path("body").asText());
            }
        }
        return bodies;
    }

    static List<String> await(String phone, Predicate<List<String>> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        List<String> bodies = received(phone);
        while (!until.test(bodies) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            bodies = received(phone);
        }
        return bodies;
    }

    @Test
    void parkWithALotAnswersWithTheLotAndEnrolsTheCampaignAndABadLotGetsTheHelpText() throws Exception {
        String campaign = api("POST", "/v1/campaigns", "{\"name\":\"Parking receipts\",\"category\":\"transactional\","
                + "\"trigger\":{\"event\":\"park_requested\"},"
                + "\"steps\":[{\"id\":\"receipt\",\"send\":{\"body\":\"Receipt for lot {{event.lot}}\"}}]}").path("id").asText();
        api("POST", "/v1/campaigns/" + campaign + "/activate", null);
        api("POST", "/v1/keywords", "{\"keyword\":\"PARK\",\"numbers\":[\"" + SenderSettings.DEFAULT_SIMULATOR_FROM + "\"],"
                + "\"argument\":{\"name\":\"lot\",\"pattern\":\"^[0-9]{4}$\"},"
                + "\"reply\":\"Pay for lot {{argument}} here: {{event.url|https://pay.example/parking}}\",\"event\":\"park_requested\"}");

        String phone = "+14155550177";
        text(phone, "park 1234");
        List<String> bodies = await(phone, b -> b.contains("Receipt for lot 1234"));
        assertThat(bodies).contains("Pay for lot 1234 here: https://pay.example/parking", "Receipt for lot 1234");
        assertThat(bodies.indexOf("Pay for lot 1234 here: https://pay.example/parking")).as("the answer comes first").isZero();

        String contactId = runtime.dripline().contacts().byPhone(phone).orElseThrow().id();
        JsonNode enrolment = api("GET", "/v1/campaigns/" + campaign + "/enrolments/" + contactId, null);
        assertThat(enrolment.toString()).contains(campaign);

        text(phone, "park abc");
        bodies = await(phone, b -> b.size() >= 3);
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(2)).contains("PARK followed by your lot").doesNotContain("abc");

        // Another number than the program's: not the program, just a message.
        assertThat(runtime.dripline().keywordPrograms().match("+18335550199", "park 1234")).isEmpty();
    }

    @Test
    void textToJoinAsksYAndYRecordsTheConsentWithTheKeywordAsProof() throws Exception {
        api("POST", "/v1/keywords", "{\"keyword\":\"JOIN\",\"reply\":\"Welcome to the club\",\"event\":\"joined_by_text\","
                + "\"optIn\":{\"confirm\":true}}");
        String phone = "+14155550178";
        text(phone, "Join");
        List<String> bodies = await(phone, b -> !b.isEmpty());
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).contains("Reply Y to confirm").contains("JOIN");
        String contactId = runtime.dripline().contacts().byPhone(phone).orElseThrow().id();
        assertThat(api("GET", "/v1/contacts/" + contactId, null).path("consent").toString()).contains("pending");

        text(phone, "Y");
        await(phone, b -> b.size() >= 2);
        assertThat(api("GET", "/v1/contacts/" + contactId, null).path("consent").toString()).contains("opted_in");
        JsonNode ledger = api("GET", "/v1/contacts/" + contactId + "/consent", null).path("items");
        JsonNode optedIn = null;
        for (JsonNode e : ledger) {
            if ("opted_in".equals(e.path("status").asText())) {
                optedIn = e;
            }
        }
        assertThat(optedIn).as("ledger %s", ledger).isNotNull();
        assertThat(optedIn.path("source").asText()).isEqualTo("keyword");
        JsonNode proof = Json.mapper().readTree(optedIn.path("proof").asText());
        assertThat(proof.path("keyword").asText()).isEqualTo("JOIN");
        assertThat(proof.path("to").asText()).isEqualTo(SenderSettings.DEFAULT_SIMULATOR_FROM);
        assertThat(proof.path("confirmation").asText()).isEqualTo("Y");
        assertThat(Instant.parse(proof.path("textedAt").asText())).isBeforeOrEqualTo(Instant.parse(proof.path("confirmedAt").asText()));
    }
}
