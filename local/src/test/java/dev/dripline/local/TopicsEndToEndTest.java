package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import dev.dripline.messaging.SenderSettings;
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
 * Topics and STOP's scope on the local runtime, over HTTP, with DRIPLINE_REVOCATION_SCOPE=topic
 * and the simulator's number as the {@code reminders} program's: a handset's STOP (through the
 * signed inbound webhook) withdraws {@code reminders} only while the FCC's revoke-all rule is not
 * in force, START gives it back, and once the clock passes 2027-01-31 the same STOP revokes
 * everything; the ledger says which scope and which rule each time.
 */
class TopicsEndToEndTest {

    private static final Instant REVOKE_ALL = Instant.parse("2027-01-31T00:00:00Z");
    private static LocalRuntime runtime;
    private static RuntimeClient client;


    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20",
                "DRIPLINE_API_RATE", "1000", "DRIPLINE_API_BURST", "1000", "DRIPLINE_REVOCATION_SCOPE", "topic",
                "DRIPLINE_NUMBER_TOPICS", SenderSettings.DEFAULT_SIMULATOR_FROM + "=reminders"));
        client = new RuntimeClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static String optedIn(String phone) throws Exception {
        return client.api("POST", "/v1/contacts", "{\"phone\":\"" + phone + "\",\"consent\":{\"status\":\"opted_in\",\"source\":\"web_form\"}}")
                .path("id").asText();
    }

    /** The ledger's keyword entries of a contact, oldest first. */
    static List<JsonNode> keywordEntries(String id) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : client.api("GET", "/v1/contacts/" + id + "/consent", null).path("items")) {
            if ("keyword".equals(e.path("source").asText())) {
                out.add(e);
            }
        }
        return out;
    }

    static Instant clockNow() throws Exception {
        return Instant.parse(client.api("GET", "/local/clock", null).path("now").asText());
    }

    @Test
    void stopToTheRemindersNumberWithdrawsRemindersUntilTheRevokeAllDateThenEverything() throws Exception {
        if (clockNow().isBefore(REVOKE_ALL.minus(Duration.ofDays(1)))) {
            String phone = "+14155550401";
            String id = optedIn(phone);
            client.text(phone, "STOP");
            assertThat(client.await(phone, b -> !b.isEmpty())).anySatisfy(b -> assertThat(b).contains("unsubscribed from reminders"));
            JsonNode contact = client.api("GET", "/v1/contacts/" + id, null);
            assertThat(contact.path("consent").asText()).isEqualTo("opted_in");
            assertThat(contact.path("topics").path("reminders").asText()).isEqualTo("opted_out");
            JsonNode stop = keywordEntries(id).get(0);
            assertThat(stop.path("topic").asText()).isEqualTo("reminders");
            assertThat(stop.path("scope").asText()).isEqualTo("topic");
            assertThat(stop.path("rule").asText()).isEqualTo("us-fcc-revocation-topic");

            RuntimeClient.Answer refused = client.call("POST", "/v1/messages", "{\"to\":\"" + phone + "\",\"body\":\"See you at 3\",\"topic\":\"reminders\"}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("code").asText()).isEqualTo("topic-withdrawn");
            assertThat(client.call("POST", "/v1/messages", "{\"to\":\"" + phone + "\",\"body\":\"Your order shipped\"}").status()).isEqualTo(202);

            client.text(phone, "START");
            Instant deadline = Instant.now().plusSeconds(20);
            while (keywordEntries(id).size() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(client.api("GET", "/v1/contacts/" + id, null).path("topics").path("reminders").asText()).isEqualTo("opted_in");
            assertThat(client.call("POST", "/v1/messages", "{\"to\":\"" + phone + "\",\"body\":\"See you at 3\",\"topic\":\"reminders\"}")
                    .status()).isEqualTo(202);
        }

        // From 2027-01-31 (the rules table's us-fcc-revocation-all row), by the clock, the same STOP revokes everything.
        Duration toAfter = Duration.between(clockNow(), REVOKE_ALL.plus(Duration.ofDays(1)));
        if (!toAfter.isNegative()) {
            client.api("POST", "/local/clock/advance", "{\"duration\":\"" + toAfter + "\"}");
        }
        String later = "+14155550402";
        String laterId = optedIn(later);
        client.text(later, "STOP");
        assertThat(client.await(later, b -> !b.isEmpty())).anySatisfy(b -> assertThat(b).contains("unsubscribed").doesNotContain("reminders"));
        assertThat(client.api("GET", "/v1/contacts/" + laterId, null).path("consent").asText()).isEqualTo("opted_out");
        JsonNode all = keywordEntries(laterId).get(0);
        assertThat(all.path("scope").asText()).isEqualTo("all");
        assertThat(all.path("rule").asText()).isEqualTo("us-fcc-revocation-all");
        assertThat(all.has("topic") && !all.path("topic").isNull()).isFalse();
    }

    @Test
    void aTopicWithdrawnThroughTheApiStopsThatTopicOnly() throws Exception {
        String phone = "+14155550403";
        String id = optedIn(phone);
        client.api("POST", "/v1/contacts/" + id + "/consent", "{\"topic\":\"alerts\",\"status\":\"opted_out\",\"proof\":\"settings page\"}");
        RuntimeClient.Answer alert = client.call("POST", "/v1/messages", "{\"to\":\"" + phone + "\",\"body\":\"Your order shipped\"}");
        assertThat(alert.status()).isEqualTo(409);
        assertThat(alert.json().path("code").asText()).isEqualTo("topic-withdrawn");
        assertThat(client.call("POST", "/v1/messages", "{\"to\":\"" + phone + "\",\"body\":\"See you at 3\",\"topic\":\"reminders\"}").status())
                .isEqualTo(202);
    }
}
