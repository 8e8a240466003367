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
    private static RuntimeClient client;


    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20",
                "DRIPLINE_API_RATE", "1000", "DRIPLINE_API_BURST", "1000"));
        client = new RuntimeClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void parkWithALotAnswersWithTheLotAndEnrolsTheCampaignAndABadLotGetsTheHelpText() throws Exception {
        String campaign = client.api("POST", "/v1/campaigns", "{\"name\":\"Parking receipts\",\"category\":\"transactional\","
                + "\"trigger\":{\"event\":\"park_requested\"},"
                + "\"steps\":[{\"id\":\"receipt\",\"send\":{\"body\":\"Receipt for lot {{event.lot}}\"}}]}").path("id").asText();
        client.api("POST", "/v1/campaigns/" + campaign + "/activate", null);
        client.api("POST", "/v1/keywords", "{\"keyword\":\"PARK\",\"numbers\":[\"" + SenderSettings.DEFAULT_SIMULATOR_FROM + "\"],"
                + "\"argument\":{\"name\":\"lot\",\"pattern\":\"^[0-9]{4}$\"},"
                + "\"reply\":\"Pay for lot {{argument}} here: {{event.url|https://pay.example/parking}}\",\"event\":\"park_requested\"}");

        String phone = "+14155550177";
        client.text(phone, "park 1234");
        List<String> bodies = client.await(phone, b -> b.contains("Receipt for lot 1234"));
        assertThat(bodies).contains("Pay for lot 1234 here: https://pay.example/parking", "Receipt for lot 1234");
        assertThat(bodies.indexOf("Pay for lot 1234 here: https://pay.example/parking")).as("the answer comes first").isZero();

        String contactId = runtime.dripline().contacts().byPhone(phone).orElseThrow().id();
        JsonNode enrolment = client.api("GET", "/v1/campaigns/" + campaign + "/enrolments/" + contactId, null);
        assertThat(enrolment.toString()).contains(campaign);

        client.text(phone, "park abc");
        bodies = client.await(phone, b -> b.size() >= 3);
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(2)).contains("PARK followed by your lot").doesNotContain("abc");

        // Another number than the program's: not the program, just a message.
        assertThat(runtime.dripline().keywordPrograms().match("+18335550199", "park 1234")).isEmpty();
    }

    @Test
    void textToJoinAsksYAndYRecordsTheConsentWithTheKeywordAsProof() throws Exception {
        client.api("POST", "/v1/keywords", "{\"keyword\":\"JOIN\",\"reply\":\"Welcome to the club\",\"event\":\"joined_by_text\","
                + "\"optIn\":{\"confirm\":true}}");
        String phone = "+14155550178";
        client.text(phone, "Join");
        List<String> bodies = client.await(phone, b -> !b.isEmpty());
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).contains("Reply Y to confirm").contains("JOIN");
        String contactId = runtime.dripline().contacts().byPhone(phone).orElseThrow().id();
        assertThat(client.api("GET", "/v1/contacts/" + contactId, null).path("consent").toString()).contains("pending");

        client.text(phone, "Y");
        client.await(phone, b -> b.size() >= 2);
        assertThat(client.api("GET", "/v1/contacts/" + contactId, null).path("consent").toString()).contains("opted_in");
        JsonNode ledger = client.api("GET", "/v1/contacts/" + contactId + "/consent", null).path("items");
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
