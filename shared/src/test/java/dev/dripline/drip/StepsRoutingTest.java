package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dripline.contacts.Contact;
import dev.dripline.json.Json;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.messaging.SendRequest;
import dev.dripline.schedule.Due;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The harness delivers the steps queue's work through the steps function's own router, so the
 * kinds that are not drip work (a scheduled one-off, an integrator's webhook) reach the code
 * that acts on them in production instead of being dropped on the way.
 */
@ExtendWith(EnginesExtension.class)
class StepsRoutingTest {

    private HttpServer integrator;
    private final List<String> posted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startIntegrator() throws Exception {
        integrator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        integrator.createContext("/hooks", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        integrator.start();
    }

    @AfterEach
    void stopIntegrator() {
        integrator.stop(0);
    }

    @Test
    void aScheduledOneOffIsHandedToTheSenderWhenItsTimeComes(Engines engines) {
        DripHarness h = new DripHarness(engines, Instant.parse("2037-11-23T15:00:00Z"));
        Instant sendAt = h.clock.instant().plus(Duration.ofHours(2));
        Message accepted = h.core.messages().submit(new OneOffMessage("+14155550188", null, "Your table is ready", null, null, sendAt), "test");
        assertThat(sendQueue(h)).as("nothing for the sender before its time").isEmpty();

        h.advanceTo(sendAt);

        assertThat(h.delivered).contains(new Due.ScheduledSend(accepted.id()));
        assertThat(sendQueue(h)).as("the sender's queue has the message").containsExactly(accepted.id());
        assertThat(h.core.messageStore().get(accepted.id()).orElseThrow().status()).isEqualTo(MessageStatus.ACCEPTED);
    }

    @Test
    void anIntegratorsWebhookIsPostedWhenItsDeliveryComesOffTheQueue(Engines engines) {
        DripHarness h = new DripHarness(engines, Instant.parse("2037-11-23T15:00:00Z"), Map.of(
                "DRIPLINE_OUTBOUND_WEBHOOK_URL", "http://127.0.0.1:" + integrator.getAddress().getPort() + "/hooks",
                "DRIPLINE_OUTBOUND_WEBHOOK_SECRET", "whsec_test_0123456789"));
        Contact ada = h.contact("+14155550189", "Ada");

        h.reply(ada, "Is my order shipped?");

        assertThat(h.delivered).anyMatch(d -> d instanceof Due.WebhookDelivery);
        assertThat(posted).map(body -> Json.read(body, com.fasterxml.jackson.databind.JsonNode.class))
                .filteredOn(event -> event.path("type").asText().equals("message.inbound"))
                .singleElement().satisfies(event -> assertThat(event.path("data").path("body").asText()).isEqualTo("Is my order shipped?"));
    }

    /** The message ids waiting on the harness core's send queue (read and left there). */
    private static List<String> sendQueue(DripHarness h) {
        return h.engines.sqs().receiveMessage(r -> r.queueUrl(h.test.sendQueueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                        .visibilityTimeout(0)).messages().stream()
                .map(m -> Json.read(m.body(), SendRequest.class).messageId()).toList();
    }
}
