package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.auth.ApiKeys;
import dev.dripline.compliance.RulesTable;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.TestClock;
import io.micronaut.context.ApplicationContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 19 through the API: the check route explains each rule; a held message says until when and by which rule. */
@ExtendWith(EnginesExtension.class)
class ComplianceRoutesTest {

    private static final String ADMIN = "configured-admin-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    // Sunday 2026-03-08, 10:00 in Dallas (CDT since 02:00 that morning).
    private static final Instant SUNDAY_TEN_IN_DALLAS = Instant.parse("2026-03-08T15:00:00Z");

    private Dripline core;
    private ApplicationContext context;
    private ApiFunction function;
    private TestClock clock;

    private void start(Engines engines) {
        start(engines, Map.of());
    }

    private void start(Engines engines, Map<String, String> env) {
        clock = new TestClock(SUNDAY_TEN_IN_DALLAS);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("DRIPLINE_SUPPRESSION_SALT", "compliance-test-salt-0123456789");
        core = new TestCore(engines, clock, all).dripline;
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

    private static List<String> ids(JsonNode rules) {
        List<String> out = new ArrayList<>();
        rules.forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    private static JsonNode rule(JsonNode rules, String id) {
        for (JsonNode r : rules) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no rule " + id + " in " + rules);
    }

    @Test
    void aTexasNumberOnSundayMorningIsHeldToNoonAndTheRouteSaysWhy(Engines engines) throws Exception {
        start(engines);
        JsonNode check = call("POST", "/v1/compliance/check", "{\"to\":\"+12145550100\",\"category\":\"marketing\",\"topic\":\"promotions\"}", 200);
        assertThat(check.get("allowed").asBoolean()).isFalse();
        assertThat(check.get("nextAllowedAt").asText()).isEqualTo("2026-03-08T17:00:00Z");
        assertThat(check.get("rulesVersion").asText()).isEqualTo(RulesTable.bundled().version());
        assertThat(check.get("jurisdictions").toString()).isEqualTo("[\"US-TX\"]");
        JsonNode tx = rule(check.get("rules"), "us-tx-hours");
        assertThat(tx.get("outcome").asText()).isEqualTo("held");
        assertThat(tx.get("jurisdiction").asText()).isEqualTo("US-TX");
        assertThat(tx.get("source").asText()).startsWith("https://");
        assertThat(tx.get("detail").asText()).contains("12:00-21:00");
        assertThat(rule(check.get("rules"), "us-tcpa-hours").get("outcome").asText()).isEqualTo("allowed");
        // Registration gate: reported, not held (enforcement is off by default).
        assertThat(rule(check.get("rules"), "us-tx-registration").get("outcome").asText()).isEqualTo("warning");

        // At noon, allowed.
        JsonNode noon = call("POST", "/v1/compliance/check", "{\"to\":\"+12145550100\",\"category\":\"marketing\",\"at\":\"2026-03-08T17:00:00Z\"}", 200);
        assertThat(noon.get("allowed").asBoolean()).isTrue();
        assertThat(noon.has("nextAllowedAt") && !noon.get("nextAllowedAt").isNull()).isFalse();
        // Transactional is not held by hours.
        assertThat(call("POST", "/v1/compliance/check", "{\"to\":\"+12145550100\",\"category\":\"transactional\"}", 200)
                .get("allowed").asBoolean()).isTrue();

        // A marketing message sent now shows heldUntil and heldBy.
        call("POST", "/v1/contacts", "{\"phone\":\"+12145550100\",\"consent\":{\"status\":\"opted_in\",\"source\":\"api\"}}", 201);
        String id = call("POST", "/v1/messages", "{\"to\":\"+12145550100\",\"body\":\"Sunday sale\",\"category\":\"marketing\"}", 202)
                .get("id").asText();
        JsonNode held = call("GET", "/v1/messages/" + id, null, 200);
        assertThat(held.get("id").asText()).isEqualTo(id);
        assertThat(held.get("heldUntil").asText()).isEqualTo("2026-03-08T17:00:00Z");
        assertThat(held.get("heldBy").get("id").asText()).isEqualTo("us-tx-hours");
        assertThat(held.get("heldBy").get("jurisdiction").asText()).isEqualTo("US-TX");
        assertThat(held.get("heldBy").get("source").asText()).contains("SB00140");
        assertThat(held.get("rulesVersion").asText()).isEqualTo(RulesTable.bundled().version());

        clock.set(Instant.parse("2026-03-08T17:00:00Z"));
        JsonNode open = call("GET", "/v1/messages/" + id, null, 200);
        assertThat(open.has("heldUntil")).isFalse();
        assertThat(open.has("heldBy")).isFalse();
    }

    @Test
    void withEnforcementOnAMarketingOneOffFromAnUnregisteredSenderIsRefusedAndTheCheckAgrees(Engines engines) throws Exception {
        start(engines, Map.of("DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION", "true", "DRIPLINE_COMPLIANCE_REGISTRATIONS", "US-TX=+15125550100"));
        call("POST", "/v1/contacts", "{\"phone\":\"+12145550100\",\"consent\":{\"status\":\"opted_in\",\"source\":\"api\"}}", 201);

        JsonNode check = call("POST", "/v1/compliance/check", "{\"to\":\"+12145550100\",\"category\":\"marketing\",\"from\":\"+18335550100\","
                + "\"at\":\"2026-03-08T17:00:00Z\"}", 200);
        assertThat(check.get("allowed").asBoolean()).isFalse();
        assertThat(rule(check.get("rules"), "us-tx-registration").get("outcome").asText()).isEqualTo("held");

        // The deployment sends from the simulator's number, not registered in Texas: refused, naming the rule and the sender.
        JsonNode refused = call("POST", "/v1/messages", "{\"to\":\"+12145550100\",\"body\":\"Sale\",\"category\":\"marketing\"}", 409);
        assertThat(refused.get("code").asText()).isEqualTo("registration-required");
        assertThat(refused.get("detail").asText()).contains("us-tx-registration").contains("+18335550100");
        // Transactional is not gated; a marketing message from the registered number goes.
        call("POST", "/v1/messages", "{\"to\":\"+12145550100\",\"body\":\"Your order\",\"category\":\"transactional\"}", 202);
        assertThat(call("POST", "/v1/compliance/check", "{\"to\":\"+12145550100\",\"category\":\"marketing\",\"from\":\"+15125550100\","
                + "\"at\":\"2026-03-08T17:00:00Z\"}", 200).get("allowed").asBoolean()).isTrue();
        call("POST", "/v1/messages", "{\"to\":\"+12145550100\",\"body\":\"Sale\",\"category\":\"marketing\",\"from\":\"+15125550100\"}", 202);
    }

    @Test
    void aChineseNumberGetsTheSignatureAndOptOutLineCountedInThePreview(Engines engines) throws Exception {
        start(engines);
        String sixty = "全场八折".repeat(15);
        JsonNode raw = call("POST", "/v1/messages/preview", "{\"body\":\"" + sixty + "\"}", 200);
        assertThat(raw.get("segments").asInt()).isEqualTo(1);
        JsonNode asSent = call("POST", "/v1/messages/preview", "{\"body\":\"" + sixty + "\",\"to\":\"+8613812345678\",\"category\":\"marketing\"}", 200);
        String brand = core.settings().brand();
        assertThat(asSent.get("text").asText()).isEqualTo("【" + brand + "】" + sixty + " 退订回T");
        assertThat(asSent.get("segments").asInt()).isEqualTo(2);

        JsonNode check = call("POST", "/v1/compliance/check", "{\"to\":\"+8613812345678\",\"category\":\"marketing\",\"at\":\"2026-03-09T02:00:00Z\"}", 200);
        assertThat(check.get("allowed").asBoolean()).isTrue();
        assertThat(ids(check.get("rules"))).contains("cn-hours", "cn-signature", "cn-optout-line");
        assertThat(rule(check.get("rules"), "cn-optout-line").get("outcome").asText()).isEqualTo("required_text");

        call("POST", "/v1/contacts", "{\"phone\":\"+8613812345678\",\"consent\":{\"status\":\"opted_in\",\"source\":\"api\"}}", 201);
        JsonNode accepted = call("POST", "/v1/messages", "{\"to\":\"+8613812345678\",\"body\":\"双十二全场八折\",\"category\":\"marketing\"}", 202);
        JsonNode message = call("GET", "/v1/messages/" + accepted.get("id").asText(), null, 200);
        assertThat(message.get("body").asText()).isEqualTo("【" + brand + "】双十二全场八折 退订回T");
        // 15:00 UTC is 23:00 in Shanghai: held to 08:00 by China's window.
        assertThat(message.get("heldUntil").asText()).isEqualTo("2026-03-09T00:00:00Z");
        assertThat(message.get("heldBy").get("id").asText()).isEqualTo("cn-hours");
    }

    @Test
    void floridaSCapAndTheFccRevocationSwitchAreExplained(Engines engines) throws Exception {
        start(engines);
        JsonNode check = call("POST", "/v1/compliance/check", "{\"to\":\"+13055550100\",\"category\":\"marketing\"}", 200);
        assertThat(rule(check.get("rules"), "us-fl-cap").get("detail").asText()).isEqualTo("at most 3 per PT24H per sender");
        assertThat(check.get("revocationScope").asText()).isEqualTo("topic");
        JsonNode later = call("POST", "/v1/compliance/check", "{\"to\":\"+13055550100\",\"category\":\"marketing\",\"at\":\"2027-02-01T15:00:00Z\"}", 200);
        assertThat(later.get("revocationScope").asText()).isEqualTo("all");
        assertThat(ids(later.get("rules"))).contains("us-fcc-revocation-all").doesNotContain("us-fcc-revocation-topic");
    }

    @Test
    void aBadNumberOrCategoryIsRefusedByName(Engines engines) throws Exception {
        start(engines);
        assertThat(call("POST", "/v1/compliance/check", "{\"to\":\"nope\"}", 422).toString()).contains("to");
        assertThat(call("POST", "/v1/compliance/check", "{\"to\":\"+12145550100\",\"category\":\"spam\"}", 422).toString()).contains("category");
    }
}
