package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.auth.ApiKeys;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.engines.aws.CfnTemplate;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.json.Json;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign-up forms through the api Lambda as API Gateway delivers them: created with a key, the page
 * and its form-encoded POST without one, the client's IP taken from API Gateway's request context,
 * and the routes template.yaml gives the function.
 */
@ExtendWith(EnginesExtension.class)
class JoinRoutesTest {

    private static final String KEY = "join-routes-test-key";

    private Dripline core;
    private ApplicationContext context;
    private ApiFunction function;

    @BeforeEach
    void start(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_SIGNUP_PER_IP", "1")).dripline;
        context = ApplicationContext.builder().singletons(core, ApiKeys.single("test", KEY)).deduceEnvironment(false).start();
        function = new ApiFunction(context);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    private static APIGatewayV2HTTPEvent page(String method, String path, String form, String sourceIp) {
        Map<String, String> headers = new HashMap<>(Map.of("accept", "text/html", "user-agent", "Mozilla/5.0 (lambda test)"));
        if (form != null) {
            headers.put("content-type", "application/x-www-form-urlencoded");
        }
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                .withSourceIp(sourceIp).build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path).withRawQueryString("")
                .withHeaders(headers).withBody(form).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http).withStage("$default")
                        .withDomainName("abc123.execute-api.eu-west-1.amazonaws.com").build()).build();
    }

    @Test
    void aFormIsCreatedWithAKeyAndItsPageWorksWithoutOne() throws Exception {
        APIGatewayV2HTTPResponse created = function.handleRequest(GatewayRequests.json("POST", "/v1/signup-forms",
                "{\"name\":\"Newsletter\",\"consentText\":\"Texts from us. Reply STOP to opt out.\",\"fields\":[\"firstName\"]}", KEY, Map.of()),
                null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        var form = Json.mapper().readTree(created.getBody());
        String id = form.path("id").asText();
        assertThat(form.path("url").asText()).isEqualTo(core.settings().publicUrl() + "/join/" + id);

        APIGatewayV2HTTPResponse shown = function.handleRequest(page("GET", "/join/" + id, null, "203.0.113.50"), null);
        assertThat(shown.getStatusCode()).isEqualTo(200);
        assertThat(shown.getHeaders().get("Content-Security-Policy")).contains("form-action 'self'", "frame-ancestors 'none'");
        assertThat(shown.getBody()).contains("Texts from us. Reply STOP to opt out.");

        APIGatewayV2HTTPResponse wrong = function.handleRequest(page("POST", "/join/" + id, "phone=12&firstName=Ann", "203.0.113.50"), null);
        assertThat(wrong.getStatusCode()).isEqualTo(422);
        assertThat(wrong.getBody()).contains("id=\"f-phone-error\"", "id=\"f-consent-error\"", "value=\"Ann\"");

        APIGatewayV2HTTPResponse done = function.handleRequest(page("POST", "/join/" + id,
                "phone=%2B14155550191&firstName=Ann&consent=yes&version=1", "203.0.113.50"), null);
        assertThat(done.getStatusCode()).as(done.getBody()).isEqualTo(200);
        var contact = core.contacts().byPhone("+14155550191").orElseThrow();
        assertThat(contact.consent()).isEqualTo(ConsentStatus.PENDING);
        assertThat(core.consentLedger().entries(contact.id())).anySatisfy(e -> {
            assertThat(e.ip()).isEqualTo("203.0.113.50");
            assertThat(e.userAgent()).isEqualTo("Mozilla/5.0 (lambda test)");
        });

        // DRIPLINE_SIGNUP_PER_IP=1: the same source IP again is refused, another number or not.
        APIGatewayV2HTTPResponse limited = function.handleRequest(page("POST", "/join/" + id,
                "phone=%2B14155550192&consent=yes", "203.0.113.50"), null);
        assertThat(limited.getStatusCode()).isEqualTo(429);
        assertThat(limited.getHeaders()).containsKey("Retry-After");
        assertThat(core.contacts().byPhone("+14155550192")).isEmpty();
    }

    @Test
    void templateYamlRoutesTheJoinPagesToTheApiFunction() {
        var routes = CfnTemplate.load(Path.of("../../template.yaml")).routes("ApiFunction");
        assertThat(routes).contains(new CfnTemplate.Route("GET", "/join/{formId}"),
                new CfnTemplate.Route("POST", "/join/{formId}"));
    }
}
