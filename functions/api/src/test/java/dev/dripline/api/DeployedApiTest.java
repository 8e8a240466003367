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
import dev.dripline.contacts.ContactInput;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The api function as template.yaml deploys it: on Lambda without DRIPLINE_PUBLIC_URL (the API
 * cannot be given its own URL), and possibly without any provider.
 */
@ExtendWith(EnginesExtension.class)
class DeployedApiTest {

    private static final String KEY = "deployed-api-key-0123456789";
    private static final String DOMAIN = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Dripline core;
    private ApplicationContext context;
    private ApiFunction function;

    private void start(Engines engines, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("AWS_LAMBDA_FUNCTION_NAME", "stack-api"));
        all.putAll(env);
        core = new TestCore(engines, Clock.systemUTC(), all).dripline;
        context = ApplicationContext.builder().singletons(core, ApiKeys.single("configured", KEY)).deduceEnvironment(false).start();
        function = new ApiFunction(context);
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    /** As API Gateway's HTTP API delivers a request to {@code DOMAIN} on its $default stage. */
    private APIGatewayV2HTTPResponse call(String method, String path, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("accept", path.equals("/openapi.yml") ? "*/*" : "application/json");
        headers.put("authorization", "Bearer " + KEY);
        // No Host header: the URL comes from requestContext.domainName, which API Gateway sets.
        if (body != null) {
            headers.put("content-type", "application/json");
            headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        }
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                .withSourceIp("198.51.100.23").build();
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path)
                .withRawQueryString("").withHeaders(headers).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http).withStage("$default")
                        .withDomainName(DOMAIN).build()).build();
        return function.handleRequest(event, null);
    }

    private void optedIn(String phone) {
        core.contacts().upsert(new ContactInput(phone, null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_in", "web_form", null, "Sale texts", null, null)), "test");
    }

    @Test
    void shortLinksInMessagesSentThroughTheApiPointAtTheApisOwnUrl(Engines engines) throws Exception {
        start(engines, Map.of());
        assertThat(core.settings().publicUrl()).as("no DRIPLINE_PUBLIC_URL on Lambda: no localhost default").isNull();
        optedIn("+14155550142");

        APIGatewayV2HTTPResponse sent = call("POST", "/v1/messages",
                "{\"to\":\"+14155550142\",\"body\":\"Sale: https://shop.example/sale\",\"category\":\"marketing\"}");

        assertThat(sent.getStatusCode()).as(sent.getBody()).isEqualTo(202);
        String id = JSON.readTree(sent.getBody()).path("id").asText();
        String body = core.messages().get(id).orElseThrow().body();
        assertThat(body).contains("https://" + DOMAIN + "/r/").doesNotContain("localhost");
    }

    @Test
    void aNamedStageIsPartOfThePublicUrl() {
        assertThat(RequestUrl.of(DOMAIN, "$default")).isEqualTo(URI.create("https://" + DOMAIN));
        assertThat(RequestUrl.of(DOMAIN, "prod")).isEqualTo(URI.create("https://" + DOMAIN + "/prod"));
        assertThat(RequestUrl.of("sms.example.com", null)).isEqualTo(URI.create("https://sms.example.com"));
    }

    @Test
    void withoutAProviderSendsAreRefusedWith503AndHealthSaysSo(Engines engines) throws Exception {
        start(engines, Map.of("DRIPLINE_PROVIDERS", ""));
        optedIn("+14155550143");

        APIGatewayV2HTTPResponse sent = call("POST", "/v1/messages", "{\"to\":\"+14155550143\",\"body\":\"hi\"}");
        APIGatewayV2HTTPResponse code = call("POST", "/v1/verifications", "{\"to\":\"+14155550143\",\"channel\":\"sms\"}");
        APIGatewayV2HTTPResponse health = call("GET", "/v1/health", null);

        for (APIGatewayV2HTTPResponse refused : new APIGatewayV2HTTPResponse[] {sent, code}) {
            assertThat(refused.getStatusCode()).as(refused.getBody()).isEqualTo(503);
            assertThat(refused.getHeaders().get("Content-Type")).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(refused.getBody());
            assertThat(problem.path("status").asInt()).isEqualTo(503);
            assertThat(problem.path("detail").asText()).startsWith("no provider configured").contains("Providers parameter");
        }
        assertThat(core.messageStore().acceptedAndUntaken()).as("nothing stored").isEmpty();
        assertThat(health.getStatusCode()).isEqualTo(200);
        JsonNode h = JSON.readTree(health.getBody());
        assertThat(h.path("status").asText()).isEqualTo("no_provider");
        assertThat(h.path("sending").asBoolean()).isFalse();
        assertThat(h.path("detail").asText()).startsWith("no provider configured");
    }

    @Test
    void healthListsTheProvidersWhenSendingWorks(Engines engines) throws Exception {
        start(engines, Map.of("DRIPLINE_PROVIDERS", "simulator"));

        JsonNode h = JSON.readTree(call("GET", "/v1/health", null).getBody());

        assertThat(h.path("status").asText()).isEqualTo("ok");
        assertThat(h.path("sending").asBoolean()).isTrue();
        assertThat(h.path("providers").toString()).isEqualTo("[\"simulator\"]");
    }

    @Test
    void theOpenApiDocumentDescribesHealthAndTheSendRefusal(Engines engines) throws Exception {
        start(engines, Map.of());
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(call("GET", "/openapi.yml", null).getBody());

        assertThat(root.path("paths").path("/v1/health").path("get").path("operationId").asText()).isEqualTo("getHealth");
        JsonNode unavailable = root.path("paths").path("/v1/messages").path("post").path("responses").path("503");
        assertThat(unavailable.path("content").path("application/problem+json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/Problem");
    }
}
