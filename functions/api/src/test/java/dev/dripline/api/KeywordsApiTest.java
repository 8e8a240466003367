package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.auth.ApiKeys;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /v1/keywords}: CRUD, paging, every invalid field named at once, consent keywords never shadowed. */
@ExtendWith(EnginesExtension.class)
class KeywordsApiTest {

    private static final String ADMIN = "configured-admin-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARK = "{\"keyword\":\"park\",\"numbers\":[\"+14155550100\"],"
            + "\"argument\":{\"name\":\"lot\",\"pattern\":\"^[0-9]{4}$\"},"
            + "\"reply\":\"Pay for lot {{argument}} here: {{event.url|}}\",\"event\":\"park_requested\"}";

    private Dripline core;
    private ApplicationContext context;
    private ApiFunction function;

    @BeforeEach
    void start(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_API_RATE", "100000", "DRIPLINE_API_BURST", "100000",
                "DRIPLINE_KEYWORDS", "[{\"keyword\":\"WANT100\",\"reply\":\"You're in\"}]")).dripline;
        context = ApplicationContext.builder().singletons(core, ApiKeys.single("configured", ADMIN)).deduceEnvironment(false).start();
        function = new ApiFunction(context);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    private APIGatewayV2HTTPResponse call(String method, String path, String body) {
        return function.handleRequest(GatewayRequests.json(method, path, body, ADMIN, Map.of()), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    private static List<String> fields(APIGatewayV2HTTPResponse response) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(422);
        assertThat(json(response).path("code").asText()).isEqualTo(dev.dripline.errors.ProblemType.VALIDATION_FAILED.code());
        List<String> fields = new ArrayList<>();
        json(response).path("errors").forEach(e -> fields.add(e.path("field").asText()));
        return fields;
    }

    @Test
    void aProgramIsCreatedReadReplacedListedAndDeleted() throws Exception {
        APIGatewayV2HTTPResponse created = call("POST", "/v1/keywords", PARK);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        JsonNode p = json(created);
        String id = p.path("id").asText();
        assertThat(id).startsWith("kw_");
        assertThat(p.path("keyword").asText()).isEqualTo("PARK");
        assertThat(p.path("numbers").get(0).asText()).isEqualTo("+14155550100");
        assertThat(p.path("argument").path("name").asText()).isEqualTo("lot");
        assertThat(p.path("event").asText()).isEqualTo("park_requested");

        assertThat(json(call("GET", "/v1/keywords/" + id, null)).path("reply").asText()).isEqualTo("Pay for lot {{argument}} here: {{event.url|}}");

        APIGatewayV2HTTPResponse replaced = call("PUT", "/v1/keywords/" + id, PARK.replace("Pay for lot", "Lot").replace("park_requested", "parked"));
        assertThat(replaced.getStatusCode()).as(replaced.getBody()).isEqualTo(200);
        JsonNode read = json(call("GET", "/v1/keywords/" + id, null));
        assertThat(read.path("event").asText()).isEqualTo("parked");
        assertThat(read.path("reply").asText()).startsWith("Lot {{argument}}");
        assertThat(core.keywordPrograms().match("+14155550100", "park 1234").orElseThrow().program().event()).isEqualTo("parked");

        assertThat(call("DELETE", "/v1/keywords/" + id, null).getStatusCode()).isEqualTo(204);
        assertThat(call("GET", "/v1/keywords/" + id, null).getStatusCode()).isEqualTo(404);
        assertThat(call("PUT", "/v1/keywords/" + id, PARK).getStatusCode()).isEqualTo(404);
        assertThat(core.keywordPrograms().match("+14155550100", "park 1234")).isEmpty();
    }

    @Test
    void theListPagesThroughEveryProgramOnce() throws Exception {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(json(call("POST", "/v1/keywords", "{\"keyword\":\"JOIN" + i + "\",\"reply\":\"Hi\",\"event\":\"joined\"}")).path("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(call("GET", "/v1/keywords?limit=2" + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)), null));
            page.path("items").forEach(i -> seen.add(i.path("id").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(fields(call("GET", "/v1/keywords?cursor=bm90LWEtY3Vyc29y", null))).contains("cursor");
    }

    @Test
    void everyInvalidFieldIsNamedAtOnce() throws Exception {
        List<String> fields = fields(call("POST", "/v1/keywords", "{\"keyword\":\"two words\",\"numbers\":[\"12\"],"
                + "\"argument\":{\"name\":\"1lot\",\"pattern\":\"([\",\"extra\":1},\"reply\":\"Hi {{nope}}\",\"event\":\"bad event!\","
                + "\"optIn\":{\"confirm\":\"yes\"},\"colour\":\"red\"}"));
        assertThat(fields).containsExactlyInAnyOrder("keyword", "numbers[0]", "argument.name", "argument.pattern", "argument.extra",
                "reply", "event", "optIn", "colour");
        assertThat(fields(call("POST", "/v1/keywords", "{}"))).containsExactlyInAnyOrder("keyword", "reply", "event");
        assertThat(fields(call("POST", "/v1/keywords", "{\"keyword\":\"LOT\",\"reply\":\"Lot {{argument}}\",\"event\":\"e\"}")))
                .containsExactly("reply");
        assertThat(json(call("GET", "/v1/keywords?limit=500", null)).path("items")).isEmpty();
    }

    @Test
    void consentKeywordsInEveryFormAndConfiguredKeywordsCannotBeTaken() throws Exception {
        for (String keyword : List.of("STOP", "stop", "Stop!", "UNSUBSCRIBE", "CANCEL", "QUIT", "START", "UNSTOP", "HELP", "INFO",
                "退订", "T", "td", "停止", "是", "帮助", "Y", "YES", "WANT100")) {
            APIGatewayV2HTTPResponse refused = call("POST", "/v1/keywords",
                    "{\"keyword\":" + JSON.writeValueAsString(keyword) + ",\"reply\":\"Hi\",\"event\":\"e\"}");
            assertThat(fields(refused)).as(keyword).containsExactly("keyword");
        }
        assertThat(json(call("GET", "/v1/keywords", null)).path("items")).isEmpty();
        assertThat(call("POST", "/v1/keywords", "{\"keyword\":\"STOPS\",\"reply\":\"Hi\",\"event\":\"e\"}").getStatusCode()).isEqualTo(201);
    }

    @Test
    void oneKeywordHasOneProgramPerNumberAndOneForEveryNumber() throws Exception {
        assertThat(call("POST", "/v1/keywords", PARK).getStatusCode()).isEqualTo(201);
        APIGatewayV2HTTPResponse same = call("POST", "/v1/keywords", PARK);
        assertThat(same.getStatusCode()).isEqualTo(409);
        String everywhere = PARK.replace("\"numbers\":[\"+14155550100\"],", "").replace("park_requested", "park_anywhere");
        assertThat(call("POST", "/v1/keywords", everywhere).getStatusCode()).as("one for every number beside a number's own").isEqualTo(201);
        assertThat(call("POST", "/v1/keywords", everywhere).getStatusCode()).as("a second for every number").isEqualTo(409);
        assertThat(core.keywordPrograms().match("+14155550100", "PARK 0001").orElseThrow().program().event()).isEqualTo("park_requested");
        assertThat(core.keywordPrograms().match("+14155550199", "PARK 0001").orElseThrow().program().event()).isEqualTo("park_anywhere");
        APIGatewayV2HTTPResponse other = call("POST", "/v1/keywords", PARK.replace("+14155550100", "+14155550101"));
        assertThat(other.getStatusCode()).as(other.getBody()).isEqualTo(201);
        assertThat(core.keywordPrograms().match("+14155550101", "PARK 0001").orElseThrow().program().numbers()).containsExactly("+14155550101");
    }
}
