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
import dev.dripline.engines.TestClock;
import io.micronaut.context.ApplicationContext;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19 through the API: consent given or withdrawn per topic ({@code POST /v1/contacts/{id}/consent}),
 * a message of a withdrawn topic refused (409 topic-withdrawn), and a Florida number's fourth
 * marketing one-off in 24 hours deferred with {@code heldUntil} and {@code heldBy}.
 */
@ExtendWith(EnginesExtension.class)
class TopicRoutesTest {

    private static final String ADMIN = "configured-admin-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    // Thursday 2026-12-03, 10:00 in Miami.
    private static final Instant THURSDAY_TEN_IN_MIAMI = Instant.parse("2026-12-03T15:00:00Z");

    private ApplicationContext context;
    private ApiFunction function;

    private void start(Engines engines) {
        Dripline core = new TestCore(engines, new TestClock(THURSDAY_TEN_IN_MIAMI), Map.of()).dripline;
        context = ApplicationContext.builder().singletons(core, ApiKeys.single("configured", ADMIN)).deduceEnvironment(false).start();
        function = new ApiFunction(context);
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    private JsonNode call(String method, String path, String body, int status) throws Exception {
        APIGatewayV2HTTPResponse response = function.handleRequest(GatewayRequests.json(method, path, body, ADMIN, Map.of()), null);
        assertThat(response.getStatusCode()).as("%s %s: %s", method, path, response.getBody()).isEqualTo(status);
        return JSON.readTree(response.getBody());
    }

    private String optedIn(String phone) throws Exception {
        return call("POST", "/v1/contacts", "{\"phone\":\"" + phone + "\",\"consent\":{\"status\":\"opted_in\",\"source\":\"web_form\"}}", 201)
                .get("id").asText();
    }

    @Test
    void aTopicWithdrawnThroughTheApiRefusesItsMessagesAndTheLedgerNamesIt(Engines engines) throws Exception {
        start(engines);
        String id = optedIn("+14155550301");
        JsonNode contact = call("POST", "/v1/contacts/" + id + "/consent",
                "{\"topic\":\"reminders\",\"status\":\"opted_out\",\"proof\":\"unticked Reminders in the preference centre\"}", 200);
        assertThat(contact.get("consent").asText()).isEqualTo("opted_in");
        assertThat(contact.get("topics").get("reminders").asText()).isEqualTo("opted_out");

        JsonNode refused = call("POST", "/v1/messages",
                "{\"to\":\"+14155550301\",\"body\":\"Your appointment is tomorrow\",\"topic\":\"reminders\"}", 409);
        assertThat(refused.get("code").asText()).isEqualTo("topic-withdrawn");
        JsonNode alert = call("POST", "/v1/messages", "{\"to\":\"+14155550301\",\"body\":\"Your order shipped\"}", 202);
        assertThat(alert.get("topic").asText()).isEqualTo("alerts");

        JsonNode ledger = call("GET", "/v1/contacts/" + id + "/consent", null, 200).get("items");
        assertThat(ledger.findValuesAsText("topic")).containsExactly("reminders");

        call("POST", "/v1/contacts/" + id + "/consent", "{\"topic\":\"reminders\",\"status\":\"opted_in\",\"source\":\"preference_centre\"}", 200);
        call("POST", "/v1/messages", "{\"to\":\"+14155550301\",\"body\":\"Your appointment is tomorrow\",\"topic\":\"reminders\"}", 202);
    }

    @Test
    void badTopicConsentChangesAreRefusedNamingTheField(Engines engines) throws Exception {
        start(engines);
        String id = optedIn("+14155550302");
        assertThat(call("POST", "/v1/contacts/" + id + "/consent", "{\"status\":\"opted_out\"}", 422).toString()).contains("topic");
        assertThat(call("POST", "/v1/contacts/" + id + "/consent", "{\"topic\":\"weather\",\"status\":\"opted_out\"}", 422).toString())
                .contains("weather");
        assertThat(call("POST", "/v1/contacts/" + id + "/consent", "{\"topic\":\"reminders\",\"status\":\"maybe\"}", 422).toString())
                .contains("status");
        assertThat(call("POST", "/v1/contacts/" + id + "/consent", "{\"topic\":\"reminders\",\"status\":\"opted_in\"}", 422).toString())
                .contains("source");
        call("POST", "/v1/contacts/" + id + "/consent", "{\"topic\":\"reminders\",\"status\":\"opted_out\",\"extra\":1}", 422);
        call("POST", "/v1/contacts/ct_nobody/consent", "{\"topic\":\"reminders\",\"status\":\"opted_out\"}", 404);
        call("POST", "/v1/messages", "{\"to\":\"+14155550302\",\"body\":\"x\",\"topic\":\"weather\"}", 422);
        call("POST", "/v1/messages", "{\"to\":\"+14155550302\",\"body\":\"x\",\"category\":\"marketing\",\"frequencyCap\":\"later\"}", 422);
    }

    @Test
    void aFloridaNumbersFourthMarketingOneOffIsDeferredAndShowsTheRule(Engines engines) throws Exception {
        start(engines);
        optedIn("+13055550303");
        String marketing = "{\"to\":\"+13055550303\",\"body\":\"Sale today\",\"category\":\"marketing\"}";
        for (int i = 0; i < 3; i++) {
            assertThat(call("POST", "/v1/messages", marketing, 202).path("sendAt").isMissingNode()).isTrue();
        }
        JsonNode fourth = call("POST", "/v1/messages", marketing, 202);
        assertThat(fourth.get("sendAt").asText()).isEqualTo("2026-12-04T15:00:00Z");
        assertThat(fourth.get("heldBy").get("id").asText()).isEqualTo("us-fl-cap");

        JsonNode message = call("GET", "/v1/messages/" + fourth.get("id").asText(), null, 200);
        assertThat(message.get("heldUntil").asText()).isEqualTo("2026-12-04T15:00:00Z");
        assertThat(message.get("heldBy").get("id").asText()).isEqualTo("us-fl-cap");
        assertThat(message.get("heldBy").get("jurisdiction").asText()).isEqualTo("US-FL");
        assertThat(message.get("heldBy").get("source").asText()).contains("flsenate.gov");
        assertThat(message.get("topic").asText()).isEqualTo("marketing");

        JsonNode skipped = call("POST", "/v1/messages", marketing.replace("}", ",\"frequencyCap\":\"skip\"}"), 409);
        assertThat(skipped.get("code").asText()).isEqualTo("frequency-capped");
    }
}
