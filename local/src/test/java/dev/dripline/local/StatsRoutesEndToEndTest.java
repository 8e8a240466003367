package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import dev.dripline.messaging.Origin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stats routes and the dashboard page over HTTP on the local runtime. */
class StatsRoutesEndToEndTest {

    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static HttpResponse<String> get(String path, String key, String correlation) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path));
        if (key != null) {
            r.header("Authorization", "Bearer " + key);
        }
        if (correlation != null) {
            r.header("X-Correlation-Id", correlation);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void campaignStatsNeedTheKeyAndAnswerTheContractsShape() throws Exception {
        String id = runtime.dripline().campaigns().create(Json.mapper().readTree(
                "{\"name\": \"Hello\", \"steps\": [{\"id\": \"hello\", \"send\": {\"body\": \"Hello\"}}]}")).id();
        assertThat(get("/v1/campaigns/" + id + "/stats", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/campaigns/cmp_never_made/stats", runtime.apiKey(), null).statusCode()).isEqualTo(404);
        runtime.dripline().tally().add(Origin.step(id, 1, "hello", "A", "enr_1"), "enrolled", 2);
        runtime.dripline().tally().add(Origin.step(id, 1, "hello", "A", "enr_1"), "skipped.ageUnverified", 1);

        HttpResponse<String> answer = get("/v1/campaigns/" + id + "/stats", runtime.apiKey(), "req-42");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Correlation-Id")).contains("req-42");
        JsonNode stats = Json.mapper().readTree(answer.body());
        for (String field : new String[] {"enrolled", "sent", "segments", "cost", "delivered", "undelivered", "failed", "clicked",
                "uniqueClicks", "replied", "optedOut", "converted", "skipped", "steps", "variants", "rates"}) {
            assertThat(stats.has(field)).as(field).isTrue();
        }
        assertThat(stats.get("enrolled").asLong()).isEqualTo(2);
        assertThat(stats.get("skipped").get("ageUnverified").asLong()).isEqualTo(1);
        assertThat(stats.get("steps").get(0).get("id").asText()).isEqualTo("hello");
        assertThat(stats.get("variants").get(0).get("id").asText()).isEqualTo("A");
        assertThat(stats.get("variants").get(0).has("confidence")).isTrue();
    }

    @Test
    void theOverviewChecksItsWindow() throws Exception {
        HttpResponse<String> bad = get("/v1/stats/overview?days=0", runtime.apiKey(), null);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("days");
        JsonNode overview = Json.mapper().readTree(get("/v1/stats/overview?days=7", runtime.apiKey(), null).body());
        assertThat(overview.get("days")).hasSize(7);
    }

    @Test
    void theDashboardPageIsPublicAndCarriesNoData() throws Exception {
        HttpResponse<String> page = get("/dashboard", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("/dashboard/assets/chart.umd.js").doesNotContain("http://", "https://");
        assertThat(get("/dashboard/assets/chart.umd.js", null, null).body()).contains("Chart.js v4.4.1");
        assertThat(get("/dashboard/assets/other.js", null, null).statusCode()).isEqualTo(404);
    }
}
