package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.auth.ApiKeys;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The api Lambda fed the sample events of events/, as API Gateway's HTTP API delivers them. */
@ExtendWith(EnginesExtension.class)
class ApiFunctionTest {

    /** The key the sample events carry. */
    private static final String SAMPLE_KEY = "dripline-example-api-key";

    private Dripline core;
    private ApplicationContext context;
    private ApiFunction function;

    @BeforeEach
    void start(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC()).dripline;
        context = ApplicationContext.builder().singletons(core, ApiKeys.single("sample", SAMPLE_KEY)).deduceEnvironment(false).start();
        function = new ApiFunction(context);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    @Test
    void theSampleContactIsCreatedThenMerged() {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/api-post-contact.json");
        APIGatewayV2HTTPResponse first = function.handleRequest(event, null);
        // The sample carries an Idempotency-Key: sent again as it is, it is a retry and gets the first answer.
        APIGatewayV2HTTPResponse retry = function.handleRequest(event, null);
        Map<String, String> otherKey = new HashMap<>(event.getHeaders());
        otherKey.put("idempotency-key", "another-request");
        event.setHeaders(otherKey);
        APIGatewayV2HTTPResponse second = function.handleRequest(event, null);
        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(retry.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(second.getStatusCode()).isEqualTo(200);
        assertThat(first.getBody()).contains("\"phone\":\"+1");
    }

    @Test
    void theSampleEventWithAnotherKeyIs401() {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/api-post-contact.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer not-the-key-not-the-key");
        event.setHeaders(headers);
        APIGatewayV2HTTPResponse response = function.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theSampleMessageLookupOfAnUnknownIdIs404ProblemJson() {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/api-get-message.json");
        APIGatewayV2HTTPResponse response = function.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getBody()).contains("does not exist");
    }

    @Test
    void aShortLinkRedirectsWithoutAKeyAndCountsTheClick() {
        core.contacts().upsert(new dev.dripline.contacts.ContactInput("+14155550199", null, null, null, null, null, null, null,
                new dev.dripline.contacts.ContactInput.ConsentInput("opted_in", "web_form", null, "Sale texts", null, null)), "test");
        var m = core.messages().submit(new dev.dripline.messaging.OneOffMessage("+14155550199", null,
                "Sale: https://shop.example/sale", "marketing", null, null), "test");
        String code = core.messages().get(m.id()).orElseThrow().body().replaceAll("(?s).*/r/([0-9A-Za-z]+).*", "$1");
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/api-get-short-link.json");
        event.setRawPath("/r/" + code);
        event.getRequestContext().getHttp().setPath("/r/" + code);
        event.setPathParameters(Map.of("code", code));
        APIGatewayV2HTTPResponse response = function.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(302);
        assertThat(response.getHeaders().get("Location")).isEqualTo("https://shop.example/sale");
        assertThat(core.shortLinks().get(code).orElseThrow().clicks()).isEqualTo(1);
    }

    @Test
    void anUnknownShortLinkIs404ProblemJson() {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/api-get-short-link.json");
        APIGatewayV2HTTPResponse response = function.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("application/problem+json");
    }
}
