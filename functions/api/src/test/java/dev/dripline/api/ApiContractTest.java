package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.auth.ApiKeys;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.errors.ProblemType;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an integrator building on the API (or generating a client from /openapi.yml) relies on:
 * strict input, problem types, idempotent POSTs, any JSON Accept answered, and a document
 * generators take as it is.
 */
@ExtendWith(EnginesExtension.class)
class ApiContractTest {

    private static final String ADMIN = "configured-admin-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Dripline core;
    private ApplicationContext context;
    private ApiFunction function;

    private void start(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_SUPPRESSION_SALT", "contract-test-salt-0123456789")).dripline;
        context = ApplicationContext.builder().singletons(core, ApiKeys.single("configured", ADMIN)).deduceEnvironment(false).start();
        function = new ApiFunction(context);
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    private APIGatewayV2HTTPResponse call(String method, String path, String body, Map<String, String> extraHeaders) {
        return function.handleRequest(GatewayRequests.json(method, path, body, ADMIN, extraHeaders), null);
    }

    private APIGatewayV2HTTPResponse call(String method, String path, String body) {
        return call(method, path, body, Map.of());
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    private static JsonNode problem(APIGatewayV2HTTPResponse response, int status, ProblemType type) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("code").asText()).isEqualTo(type.code());
        assertThat(problem.path("type").asText()).isEqualTo("https://dripline.dev/problems/" + type.code());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        return problem;
    }

    // 3. Strict input ----------------------------------------------------------------------------

    @Test
    void anUnknownFieldIsRefusedNamingTheFieldItMeant(Engines engines) throws Exception {
        start(engines);
        JsonNode message = problem(call("POST", "/v1/messages", "{\"to\":\"+14155550123\",\"body\":\"hi\",\"send_at\":\"2027-01-01T00:00:00Z\"}"),
                422, ProblemType.UNKNOWN_FIELD);
        assertThat(message.path("errors").get(0).path("field").asText()).isEqualTo("send_at");
        assertThat(message.path("errors").get(0).path("message").asText()).contains("did you mean sendAt?");

        JsonNode contact = problem(call("POST", "/v1/contacts", "{\"phone\":\"+14155550124\",\"first_name\":\"Bob\",\"optedIn\":true}"),
                422, ProblemType.UNKNOWN_FIELD);
        assertThat(contact.path("errors").get(0).path("field").asText()).isEqualTo("first_name");
        assertThat(contact.path("errors").get(0).path("message").asText()).contains("did you mean firstName?");
        assertThat(core.contacts().byPhone("+14155550124")).as("nothing is written").isEmpty();

        JsonNode nested = problem(call("POST", "/v1/contacts", "{\"phone\":\"+14155550124\",\"consent\":{\"status\":\"opted_in\",\"sauce\":\"api\"}}"),
                422, ProblemType.UNKNOWN_FIELD);
        assertThat(nested.path("errors").get(0).path("field").asText()).isEqualTo("consent.sauce");
        assertThat(nested.path("errors").get(0).path("message").asText()).contains("did you mean source?");

        JsonNode far = problem(call("POST", "/v1/verifications/check", "{\"to\":\"+14155550123\",\"code\":\"1\",\"zzzzzz\":1}"),
                422, ProblemType.UNKNOWN_FIELD);
        assertThat(far.path("errors").get(0).path("message").asText()).contains("known fields: code, to");
    }

    @Test
    void aSendAtMoreThanAMinuteInThePastIsRefused(Engines engines) throws Exception {
        start(engines);
        String past = Instant.now().minusSeconds(120).toString();
        JsonNode message = problem(call("POST", "/v1/messages", "{\"to\":\"+14155550123\",\"body\":\"hi\",\"sendAt\":\"" + past + "\"}"),
                422, ProblemType.VALIDATION_FAILED);
        assertThat(message.path("errors").get(0).path("field").asText()).isEqualTo("sendAt");
        JsonNode broadcast = problem(call("POST", "/v1/broadcasts", "{\"audience\":{\"tags\":[\"vip\"]},\"body\":\"hi\",\"sendAt\":\"" + past + "\"}"),
                422, ProblemType.VALIDATION_FAILED);
        assertThat(broadcast.path("errors").get(0).path("field").asText()).isEqualTo("sendAt");
        String justNow = Instant.now().minusSeconds(20).toString();
        APIGatewayV2HTTPResponse clockSkew = call("POST", "/v1/messages", "{\"to\":\"+14155550123\",\"body\":\"hi\",\"sendAt\":\"" + justNow + "\"}");
        assertThat(clockSkew.getStatusCode()).as(clockSkew.getBody()).isEqualTo(202);
    }

    // 1. Any Accept that admits JSON -------------------------------------------------------------

    @Test
    void anyAcceptThatAdmitsJsonIsAnswered(Engines engines) throws Exception {
        start(engines);
        for (String accept : List.of("application/problem+json", "application/*", "*/*", "application/json",
                "application/problem+json;q=0.9", "text/html;q=0.9, application/*;q=0.8", "application/json, application/problem+json")) {
            APIGatewayV2HTTPResponse sent = call("POST", "/v1/messages", "{\"to\":\"+14155550123\",\"body\":\"hi\"}", Map.of("Accept", accept));
            assertThat(sent.getStatusCode()).as(accept + ": " + sent.getBody()).isEqualTo(202);
            assertThat(sent.getHeaders().get("Content-Type")).as(accept).startsWith("application/json");
            APIGatewayV2HTTPResponse missing = call("GET", "/v1/messages/msg_none", null, Map.of("Accept", accept));
            problem(missing, 404, ProblemType.NOT_FOUND);
        }
        APIGatewayV2HTTPResponse csvOnly = call("GET", "/v1/api-keys", null, Map.of("Accept", "text/csv"));
        assertThat(csvOnly.getStatusCode()).as("an Accept without JSON is still refused").isEqualTo(406);
    }

    // 5. Problem types ---------------------------------------------------------------------------

    @Test
    void problemsCarryAStableTypeAndCode(Engines engines) throws Exception {
        start(engines);
        call("POST", "/v1/contacts", "{\"phone\":\"+14155550125\",\"consent\":{\"status\":\"opted_out\",\"source\":\"api\"}}");
        problem(call("POST", "/v1/messages", "{\"to\":\"+14155550125\",\"body\":\"hi\"}"), 409, ProblemType.RECIPIENT_OPTED_OUT);
        problem(call("POST", "/v1/messages", "{\"to\":\"+14155550126\",\"body\":\"hi\",\"category\":\"marketing\"}"), 409,
                ProblemType.CONSENT_REQUIRED);
        problem(call("GET", "/v1/contacts/ct_missing", null), 404, ProblemType.NOT_FOUND);
        problem(call("GET", "/v1/contacts", null, Map.of("Authorization", "Bearer wrong")), 401, ProblemType.UNAUTHORIZED);
        problem(call("POST", "/v1/messages", "{\"to\":\"x\"}"), 422, ProblemType.VALIDATION_FAILED);
        problem(call("POST", "/v1/messages", "{\"to\":"), 400, ProblemType.BAD_REQUEST);
    }

    // 6. Idempotency-Key on every POST -----------------------------------------------------------

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerAgain(Engines engines) throws Exception {
        start(engines);
        String body = "{\"phone\":\"+14155550127\",\"firstName\":\"Ada\"}";
        APIGatewayV2HTTPResponse first = call("POST", "/v1/contacts", body, Map.of("Idempotency-Key", "contact-ada"));
        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(first.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        // The same request again, spaced and ordered differently: without the key it would be 200 (the existing contact).
        APIGatewayV2HTTPResponse retry = call("POST", "/v1/contacts", "{ \"firstName\": \"Ada\", \"phone\": \"+14155550127\" }",
                Map.of("Idempotency-Key", "contact-ada"));
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(retry.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(json(retry)).isEqualTo(json(first));

        problem(call("POST", "/v1/contacts", "{\"phone\":\"+14155550127\",\"firstName\":\"Eve\"}", Map.of("Idempotency-Key", "contact-ada")),
                422, ProblemType.IDEMPOTENCY_KEY_REUSED);
        assertThat(call("POST", "/v1/contacts", body, Map.of("Idempotency-Key", "another")).getStatusCode())
                .as("another key is another request").isEqualTo(200);
    }

    @Test
    void aRetriedKeyCreationMakesOneKey(Engines engines) throws Exception {
        start(engines);
        String body = "{\"name\":\"shop\",\"scopes\":[\"send\"]}";
        APIGatewayV2HTTPResponse first = call("POST", "/v1/api-keys", body, Map.of("Idempotency-Key", "k-shop"));
        APIGatewayV2HTTPResponse retry = call("POST", "/v1/api-keys", body, Map.of("Idempotency-Key", "k-shop"));
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(json(retry).path("secret").asText()).isEqualTo(json(first).path("secret").asText());
        assertThat(json(call("GET", "/v1/api-keys", null)).path("items")).hasSize(1);
    }

    @Test
    void aFailedRequestKeepsNothingSoACorrectedRetryRuns(Engines engines) throws Exception {
        start(engines);
        APIGatewayV2HTTPResponse refused = call("POST", "/v1/events", "{\"name\":\"signed_up\"}", Map.of("Idempotency-Key", "ev-1"));
        assertThat(refused.getStatusCode()).isEqualTo(422);
        APIGatewayV2HTTPResponse again = call("POST", "/v1/events", "{\"name\":\"signed_up\"}", Map.of("Idempotency-Key", "ev-1"));
        assertThat(again.getStatusCode()).isEqualTo(422);
        assertThat(again.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        problem(call("POST", "/v1/events", "{\"name\":\"x\"}", Map.of("Idempotency-Key", "k".repeat(256))), 422, ProblemType.VALIDATION_FAILED);
    }

    @Test
    void aRetriedMessageIsTheSameMessageSentOnce(Engines engines) throws Exception {
        start(engines);
        String body = "{\"to\":\"+14155550128\",\"body\":\"Your order shipped\"}";
        APIGatewayV2HTTPResponse first = call("POST", "/v1/messages", body, Map.of("Idempotency-Key", "order-1"));
        APIGatewayV2HTTPResponse retry = call("POST", "/v1/messages", body, Map.of("Idempotency-Key", "order-1"));
        assertThat(retry.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(json(retry).path("id").asText()).isEqualTo(json(first).path("id").asText());
        assertThat(json(call("GET", "/v1/contacts/" + core.contacts().byPhone("+14155550128").orElseThrow().id() + "/messages", null))
                .path("items")).hasSize(1);
    }

    // 1. The document ----------------------------------------------------------------------------

    @Test
    void theDocumentIsOneGeneratedClientsTakeAsItIs(Engines engines) throws Exception {
        start(engines);
        APIGatewayV2HTTPResponse doc = call("GET", "/openapi.yml", null, Map.of("Accept", "*/*"));
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(doc.getBody());
        assertThat(root.path("info").path("version").isTextual()).as("info.version is a string").isTrue();

        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        root.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String where = op.getKey() + " " + path.getKey();
            JsonNode operation = op.getValue();
            String id = operation.path("operationId").asText();
            if (!id.matches("(get|list|create|update|replace|delete|send|preview|erase|export|revoke|rotate|replay|cancel|activate|pause|resume|archive|enrol|check|follow)[A-Z][A-Za-z]*")
                    || !ids.add(id)) {
                problems.add(where + ": operationId " + id);
            }
            if (operation.path("tags").isEmpty()) {
                problems.add(where + ": no tag");
            }
            operation.path("requestBody").path("content").fields().forEachRemaining(media -> {
                if (media.getKey().endsWith("json") && !media.getValue().path("schema").has("$ref")) {
                    problems.add(where + ": unnamed request body");
                }
            });
            operation.path("responses").fields().forEachRemaining(response -> {
                int status = Integer.parseInt(response.getKey());
                if (status >= 200 && status < 300 && status != 204) {
                    JsonNode schema = response.getValue().path("content").path("application/json").path("schema");
                    if (!schema.has("$ref") && !path.getKey().startsWith("/v1/consent/export")) {
                        problems.add(where + " " + status + ": no named JSON body");
                    }
                }
                if (status >= 400 && !(response.getValue().path("content").has("application/json")
                        && response.getValue().path("content").has("application/problem+json"))) {
                    problems.add(where + " " + status + ": errors not in both JSON types");
                }
            });
        }));
        assertThat(problems).isEmpty();
        assertThat(ids).contains("createContact", "getContact", "listContacts", "sendMessage", "getMessage", "previewMessage",
                "createCampaign", "createBroadcast", "createEvent", "createImport");

        JsonNode schemas = root.path("components").path("schemas");
        assertThat(schemas.fieldNames()).toIterable().noneMatch(name -> name.contains("."));
        assertThat(values(schemas.path("ConsentStatus").path("enum")))
                .containsExactlyElementsOf(Arrays.stream(ConsentStatus.values()).map(ConsentStatus::wire).toList());
        assertThat(values(schemas.path("MessageStatus").path("enum")))
                .containsExactlyElementsOf(Arrays.stream(MessageStatus.values()).map(MessageStatus::wire).toList());
        assertThat(values(schemas.path("Problem").path("properties").path("code").path("enum")))
                .containsExactlyElementsOf(Arrays.stream(ProblemType.values()).map(ProblemType::code).toList());
        assertThat(root.path("paths").path("/v1/contacts").path("post").path("parameters").toString()).contains("Idempotency-Key");
    }

    private static List<String> values(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
