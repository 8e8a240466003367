package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.auth.ApiKeys;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keys and scopes, rate limits, verification codes, headers and error bodies, through the api Lambda. */
@ExtendWith(EnginesExtension.class)
class ApiHardeningTest {

    private static final String ADMIN = "configured-admin-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Dripline core;
    private ApplicationContext context;
    private ApiFunction function;

    private void start(Engines engines, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("DRIPLINE_VERIFY_SECRET", "api-test-verify-secret-0123456789"));
        all.putAll(env);
        core = new TestCore(engines, Clock.systemUTC(), all).dripline;
        context = ApplicationContext.builder().singletons(core, ApiKeys.single("configured", ADMIN)).deduceEnvironment(false).start();
        function = new ApiFunction(context);
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    private APIGatewayV2HTTPResponse call(String method, String path, String key, String body) {
        return call(method, path, key, body, "application/json");
    }

    private APIGatewayV2HTTPResponse call(String method, String path, String key, String body, String contentType) {
        Map<String, String> headers = new HashMap<>();
        headers.put("accept", path.equals("/openapi.yml") ? "*/*" : "application/json");
        String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
        path = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (key != null) {
            headers.put("authorization", "Bearer " + key);
        }
        if (body != null) {
            headers.put("content-type", contentType);
            headers.put("content-length", Integer.toString(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        }
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                .withSourceIp("198.51.100.23").build();
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path)
                .withRawQueryString(query)
                .withQueryStringParameters(query.isEmpty() ? null : Map.of(query.split("=")[0], query.split("=")[1])).withHeaders(headers).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http).withStage("$default").build()).build();
        return function.handleRequest(event, null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    private String createKey(String name, String scopes) throws Exception {
        APIGatewayV2HTTPResponse created = call("POST", "/v1/api-keys", ADMIN, "{\"name\":\"" + name + "\",\"scopes\":" + scopes + "}");
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        return json(created).get("secret").asText();
    }

    private static void assertProblem(APIGatewayV2HTTPResponse response, int status) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.getBody());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.hasNonNull("title")).isTrue();
        assertThat(problem.hasNonNull("type")).isTrue();
        assertThat(response.getBody()).doesNotContainPattern("(?i)exception|dev\\.dripline|io\\.micronaut|com\\.fasterxml|\\bat [a-z]+\\.");
    }

    @Test
    void aReadScopedKeyCannotSend(Engines engines) throws Exception {
        start(engines, Map.of());
        String reader = createKey("reporting", "[\"read\"]");
        assertThat(call("GET", "/v1/contacts?tag=vip", reader, null).getStatusCode()).isEqualTo(200);
        APIGatewayV2HTTPResponse send = call("POST", "/v1/messages", reader, "{\"to\":\"+14155550123\",\"body\":\"hi\"}");
        assertProblem(send, 403);
        assertThat(json(send).get("detail").asText()).contains("send");
        assertProblem(call("POST", "/v1/contacts", reader, "{\"phone\":\"+14155550123\"}"), 403);
        assertProblem(call("GET", "/v1/api-keys", reader, null), 403);
    }

    @Test
    void aSendKeyCanSendButNotManageKeys(Engines engines) throws Exception {
        start(engines, Map.of());
        String sender = createKey("shop", "[\"send\"]");
        assertThat(call("POST", "/v1/messages", sender, "{\"to\":\"+14155550123\",\"body\":\"hi\"}").getStatusCode()).isEqualTo(202);
        assertProblem(call("POST", "/v1/api-keys", sender, "{\"name\":\"x\",\"scopes\":[\"admin\"]}"), 403);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce(Engines engines) throws Exception {
        start(engines, Map.of());
        APIGatewayV2HTTPResponse created = call("POST", "/v1/api-keys", ADMIN, "{\"name\":\"temp\",\"scopes\":[\"read\"]}");
        String id = json(created).get("id").asText();
        String secret = json(created).get("secret").asText();
        assertThat(call("GET", "/v1/contacts?tag=vip", secret, null).getStatusCode()).isEqualTo(200);

        APIGatewayV2HTTPResponse listed = call("GET", "/v1/api-keys", ADMIN, null);
        assertThat(listed.getBody()).contains(id).doesNotContain(secret);

        assertThat(call("DELETE", "/v1/api-keys/" + id, ADMIN, null).getStatusCode()).isEqualTo(200);
        assertProblem(call("GET", "/v1/contacts?tag=vip", secret, null), 401);
    }

    @Test
    void aKeyOverItsRateIsAnswered429WithRetryAfter(Engines engines) throws Exception {
        start(engines, Map.of("DRIPLINE_API_RATE", "0.5", "DRIPLINE_API_BURST", "3"));
        for (int i = 0; i < 3; i++) {
            assertThat(call("GET", "/v1/contacts?tag=vip", ADMIN, null).getStatusCode()).isEqualTo(200);
        }
        APIGatewayV2HTTPResponse limited = call("GET", "/v1/contacts?tag=vip", ADMIN, null);
        assertProblem(limited, 429);
        assertThat(Integer.parseInt(limited.getHeaders().get("Retry-After"))).isBetween(1, 2);
    }

    @Test
    void aVerificationCodeIsSentAndCheckedOverHttp(Engines engines) throws Exception {
        start(engines, Map.of());
        String sender = createKey("login", "[\"send\"]");
        APIGatewayV2HTTPResponse sent = call("POST", "/v1/verifications", sender, "{\"to\":\"+14155550123\",\"channel\":\"sms\"}");
        assertThat(sent.getStatusCode()).as(sent.getBody()).isEqualTo(202);
        String body = core.messages().get(json(sent).get("messageId").asText()).orElseThrow().body();
        Matcher code = Pattern.compile("\\d{6}").matcher(body);
        assertThat(code.find()).isTrue();
        APIGatewayV2HTTPResponse wrong = call("POST", "/v1/verifications/check", sender, "{\"to\":\"+14155550123\",\"code\":\"x\"}");
        assertThat(json(wrong).get("status").asText()).isEqualTo("pending");
        APIGatewayV2HTTPResponse right = call("POST", "/v1/verifications/check", sender,
                "{\"to\":\"+14155550123\",\"code\":\"" + code.group() + "\"}");
        assertThat(json(right).get("status").asText()).isEqualTo("approved");
    }

    @Test
    void tooManyCodesForOneNumberIs429ProblemJson(Engines engines) throws Exception {
        start(engines, Map.of("DRIPLINE_VERIFY_SENDS_PER_NUMBER", "1"));
        assertThat(call("POST", "/v1/verifications", ADMIN, "{\"to\":\"+14155550123\"}").getStatusCode()).isEqualTo(202);
        APIGatewayV2HTTPResponse second = call("POST", "/v1/verifications", ADMIN, "{\"to\":\"+14155550123\"}");
        assertProblem(second, 429);
        assertThat(Integer.parseInt(second.getHeaders().get("Retry-After"))).isBetween(1, 3600);
    }

    @Test
    void apiAnswersCarryTheSecurityHeaders(Engines engines) throws Exception {
        start(engines, Map.of());
        for (APIGatewayV2HTTPResponse r : new APIGatewayV2HTTPResponse[] {call("GET", "/v1/contacts", ADMIN, null),
                call("GET", "/v1/contacts", null, null), call("GET", "/v1/contacts/ct_missing", ADMIN, null)}) {
            Map<String, String> h = r.getHeaders();
            assertThat(h).containsEntry("X-Content-Type-Options", "nosniff").containsEntry("X-Frame-Options", "DENY")
                    .containsEntry("Referrer-Policy", "no-referrer").containsEntry("Cache-Control", "no-store");
            assertThat(h.get("Strict-Transport-Security")).startsWith("max-age=");
            assertThat(h.get("Content-Security-Policy")).contains("frame-ancestors 'none'");
        }
    }

    @Test
    void errorBodiesNeverShowInternals(Engines engines) throws Exception {
        start(engines, Map.of());
        APIGatewayV2HTTPResponse malformed = call("POST", "/v1/contacts", ADMIN, "{\"phone\": ");
        assertProblem(malformed, 400);
        assertThat(json(malformed).get("detail").asText()).contains("not valid JSON");
        APIGatewayV2HTTPResponse wrongType = call("POST", "/v1/api-keys", ADMIN, "{\"name\":{\"a\":1},\"scopes\":\"read\"}");
        assertThat(wrongType.getStatusCode()).isIn(400, 422);
        assertProblem(wrongType, wrongType.getStatusCode());
        APIGatewayV2HTTPResponse list = call("POST", "/v1/verifications/check", ADMIN, "[1,2,3]");
        assertProblem(list, 400);
        assertThat(json(list).get("detail").asText()).contains("must be an object");
        APIGatewayV2HTTPResponse scalar = call("POST", "/v1/migrations/pinpoint", ADMIN, "false");
        assertProblem(scalar, 400);
        assertThat(json(scalar).get("detail").asText()).contains("must be an object");
        APIGatewayV2HTTPResponse nested = call("POST", "/v1/api-keys", ADMIN, "{\"name\":\"n\",\"scopes\":[{\"a\":1}]}");
        assertProblem(nested, 400);
        assertThat(json(nested).get("detail").asText()).contains("scopes[0] must be a string");
        APIGatewayV2HTTPResponse badTime = call("POST", "/v1/messages", ADMIN, "{\"to\":\"+14155550123\",\"body\":\"b\",\"sendAt\":\"yesterday\"}");
        assertProblem(badTime, 400);
        assertThat(json(badTime).get("errors").get(0).get("field").asText()).isEqualTo("sendAt");
        assertThat(json(badTime).get("errors").get(0).get("message").asText()).contains("ISO-8601 time");
        assertProblem(call("GET", "/v1/no-such-route", ADMIN, null), 404);
        APIGatewayV2HTTPResponse wrongMethod = call("PUT", "/v1/verifications", ADMIN, "{}");
        assertThat(wrongMethod.getStatusCode()).isIn(404, 405);
        assertProblem(wrongMethod, wrongMethod.getStatusCode());
        assertProblem(call("POST", "/v1/contacts", ADMIN, "phone=1", "text/plain"), 415);
    }

    @Test
    void bodiesOverTheLimitAreRefusedOnEveryRoute(Engines engines) throws Exception {
        start(engines, Map.of("DRIPLINE_REQUEST_MAX_BYTES", "100"));
        String big = "{\"to\":\"+14155550123\",\"code\":\"" + "1".repeat(200) + "\"}";
        assertProblem(call("POST", "/v1/verifications/check", ADMIN, big), 413);
        assertProblem(call("POST", "/r/abcdefgh", null, big), 413);
    }

    @Test
    void theOpenApiDocumentIsPublicAndCoversEveryV1Route(Engines engines) throws Exception {
        start(engines, Map.of());
        APIGatewayV2HTTPResponse doc = call("GET", "/openapi.yml", null, null);
        assertThat(doc.getStatusCode()).isEqualTo(200);
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(doc.getBody());
        Set<String> documented = new HashSet<>();
        root.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        Set<String> routed = new HashSet<>();
        for (UriRouteInfo<?, ?> route : context.getBean(Router.class).uriRoutes().map(r -> (UriRouteInfo<?, ?>) r).toList()) {
            String template = route.getUriMatchTemplate().toPathString().replaceAll("\\{\\?[^}]*}", "");
            if (template.startsWith("/v1/") && !route.getHttpMethodName().equals("HEAD")) { // HEAD: Micronaut's own, from GET
                routed.add(route.getHttpMethodName() + " " + template);
            }
        }
        assertThat(routed).isNotEmpty();
        assertThat(documented).containsAll(routed);
        JsonNode send = root.path("paths").path("/v1/verifications").path("post");
        assertThat(send.path("responses").has("202")).isTrue();
        assertThat(send.path("responses").path("422").path("content").has("application/problem+json")).isTrue();
        assertThat(send.path("security").toString()).contains("bearer");
        assertThat(root.path("paths").has("/v1/api-keys/{id}")).isTrue();
    }
}
