package dev.dripline.webhooks.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.webhooks.SimulatorSignature;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.time.Instant;
import dev.dripline.logging.OperationalMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhooks Lambda fed the sample event of events/, as API Gateway would deliver it. */
@ExtendWith(EnginesExtension.class)
class WebhooksFunctionTest {

    private static final String SECRET = "test-simulator-secret-0123456789";
    private static final String PUBLIC_URL = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";

    private Dripline core;
    private ApplicationContext context;
    private WebhooksFunction function;

    @BeforeEach
    void start(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC(),
                Map.of("DRIPLINE_SIMULATOR_SECRET", SECRET, "DRIPLINE_PUBLIC_URL", PUBLIC_URL)).dripline;
        context = ApplicationContext.builder().singletons(core).deduceEnvironment(false).start();
        function = new WebhooksFunction(context);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    private APIGatewayV2HTTPEvent sample(String messageId, boolean sign) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-simulator-status.json");
        event.setRawQueryString("m=" + messageId);
        event.setQueryStringParameters(Map.of("m", messageId));
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.remove("x-simulator-signature");
        if (sign) {
            String url = PUBLIC_URL + event.getRawPath() + "?m=" + messageId;
            headers.put("x-simulator-signature", SimulatorSignature.sign(SECRET, Instant.now(), url, event.getBody()));
        }
        event.setHeaders(headers);
        return event;
    }

    @Test
    void aSignedReceiptFromTheSampleEventIsRecorded() {
        Message m = core.messages().submit(new OneOffMessage("+14155550170", null, "hi", "transactional", null, null), "t");
        APIGatewayV2HTTPResponse response = function.handleRequest(sample(m.id(), true), null);
        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void withoutAConfiguredPublicUrlTheSignatureCoversTheHostApiGatewayWasCalledOn(Engines engines) {
        Dripline noPublicUrl = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_SIMULATOR_SECRET", SECRET)).dripline;
        try (ApplicationContext ctx = ApplicationContext.builder().singletons(noPublicUrl).deduceEnvironment(false).start()) {
            WebhooksFunction onAws = new WebhooksFunction(ctx);
            Message m = noPublicUrl.messages().submit(new OneOffMessage("+14155550172", null, "hi", "transactional", null, null), "t");
            // The sample's Host header is the execute-api domain PUBLIC_URL names, over https.
            assertThat(onAws.handleRequest(sample(m.id(), true), null).getStatusCode()).isEqualTo(204);
            assertThat(noPublicUrl.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
        }
    }

    @Test
    void theSampleEventWithoutAValidSignatureIsRefusedAndChangesNothing() {
        Message m = core.messages().submit(new OneOffMessage("+14155550171", null, "hi", "transactional", null, null), "t");
        List<String> metrics = new CopyOnWriteArrayList<>();
        Consumer<String> previous = OperationalMetrics.sink(metrics::add);
        APIGatewayV2HTTPResponse response;
        try {
            response = function.handleRequest(sample(m.id(), false), null);
        } finally {
            OperationalMetrics.sink(previous);
        }
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getBody()).contains("X-Simulator-Signature");
        assertThat(core.messages().get(m.id()).orElseThrow().history()).hasSize(1);
        // Counted for the WebhookSignatureRefused alarm (template.yaml), once.
        assertThat(metrics).filteredOn(l -> l.contains("\"WebhookSignatureRefused\":1")).hasSize(1);
    }

    @Test
    void aSignedReceiptCountsNoRefusal() {
        Message m = core.messages().submit(new OneOffMessage("+14155550173", null, "hi", "transactional", null, null), "t");
        List<String> metrics = new CopyOnWriteArrayList<>();
        Consumer<String> previous = OperationalMetrics.sink(metrics::add);
        try {
            assertThat(function.handleRequest(sample(m.id(), true), null).getStatusCode()).isEqualTo(204);
        } finally {
            OperationalMetrics.sink(previous);
        }
        assertThat(metrics).noneMatch(l -> l.contains("WebhookSignatureRefused"));
    }
}
