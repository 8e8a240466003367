package dev.dripline.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.conversations.InboundSms;
import dev.dripline.json.Json;
import dev.dripline.schedule.Due;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/** Integrators' webhooks against a local HTTP stub that fails a set number of times, retried through the queue. */
@ExtendWith(EnginesExtension.class)
class OutboundWebhooksTest {

    private static final String SECRET = "whsec_test_0123456789";

    private HttpServer stub;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private Engines engines;
    private String stepsQueue;

    record Received(Instant at, String signature, String body, int answered) {
    }

    @BeforeEach
    void start(Engines engines) throws Exception {
        this.engines = engines;
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/hooks/dripline", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
            received.add(new Received(Instant.now(), exchange.getRequestHeaders().getFirst(OutboundSignature.HEADER), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        stub.start();
        stepsQueue = engines.sqs().createQueue(r -> r.queueName("t-steps-" + System.nanoTime())).queueUrl();
    }

    @AfterEach
    void stop() {
        stub.stop(0);
    }

    private Dripline core(int maxAttempts) {
        return new TestCore(engines, Clock.systemUTC(), Map.of(
                "DRIPLINE_OUTBOUND_WEBHOOK_URL", "http://127.0.0.1:" + stub.getAddress().getPort() + "/hooks/dripline",
                "DRIPLINE_OUTBOUND_WEBHOOK_SECRET", SECRET,
                "DRIPLINE_OUTBOUND_WEBHOOK_FIRST_RETRY", "PT1S",
                "DRIPLINE_OUTBOUND_WEBHOOK_MAX_ATTEMPTS", Integer.toString(maxAttempts),
                "DRIPLINE_STEPS_QUEUE_URL", stepsQueue)).dripline;
    }

    @Test
    void anInboundMessageIsPostedSignedAndRetriedWithGrowingDelaysUntilTheReceiverTakesIt() throws Exception {
        Dripline core = core(10);
        failuresLeft.set(2);
        core.conversations().receive(new InboundSms("simulator", "sim_hook_1", "+14155550191", "+18335550100", "Is my order shipped?",
                Instant.parse("2026-11-21T14:00:05Z")));

        drainSteps(core, 3, 20_000);

        assertThat(received).extracting(Received::answered).containsExactly(503, 503, 204);
        assertThat(received).extracting(Received::body).containsOnly(received.get(0).body());
        // Delays of 1 s then 2 s, carried by the queue (DelaySeconds), not by a sleeping thread.
        assertThat(received.get(1).at()).isAfterOrEqualTo(received.get(0).at().plusMillis(900));
        assertThat(received.get(2).at()).isAfterOrEqualTo(received.get(1).at().plusMillis(1900));

        JsonNode event = Json.mapper().readTree(received.get(0).body());
        assertThat(event.path("type").asText()).isEqualTo("message.inbound");
        assertThat(event.path("id").asText()).isEqualTo("evt_in_simulator_sim_hook_1");
        assertThat(event.path("occurredAt").asText()).isEqualTo("2026-11-21T14:00:05Z");
        assertThat(event.path("data").path("from").asText()).isEqualTo("+14155550191");
        assertThat(event.path("data").path("body").asText()).isEqualTo("Is my order shipped?");
        for (Received r : received) {
            assertThat(validSignature(r.signature(), r.body())).as(r.signature()).isTrue();
        }
    }

    @Test
    void theLastFailedAttemptThrowsSoTheQueueTakesTheEventToItsDeadLetterQueue() {
        Dripline core = core(2);
        failuresLeft.set(100);
        OutboundWebhooks webhooks = core.outboundWebhooks();
        webhooks.publish("message.status", "evt_x", Instant.now(), Map.of("messageId", "msg_x", "status", "delivered"));
        Due.WebhookDelivery first = (Due.WebhookDelivery) Json.read(receiveOne(5), Due.class);
        webhooks.deliver(first);
        Due.WebhookDelivery second = (Due.WebhookDelivery) Json.read(receiveOne(5), Due.class);
        assertThat(second.attempt()).isEqualTo(2);
        assertThatThrownBy(() -> webhooks.deliver(second)).hasMessageContaining("failed 2 times");
    }

    @Test
    void retryDelaysDoubleUpToSqsFifteenMinutes() {
        OutboundWebhooks webhooks = core(10).outboundWebhooks();
        assertThat(webhooks.retryDelay(1).toSeconds()).isEqualTo(1);
        assertThat(webhooks.retryDelay(2).toSeconds()).isEqualTo(2);
        assertThat(webhooks.retryDelay(5).toSeconds()).isEqualTo(16);
        assertThat(webhooks.retryDelay(15).toSeconds()).isEqualTo(900);
    }

    @Test
    void withoutAUrlNothingIsQueued(Engines engines) {
        Dripline plain = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_STEPS_QUEUE_URL", stepsQueue)).dripline;
        plain.conversations().receive(new InboundSms("simulator", "sim_hook_2", "+14155550192", "+18335550100", "hi", Instant.now()));
        // No webhook delivery; and no reply for the drip engine either, since no run waits for one (issue 21).
        assertThat(engines.sqs().receiveMessage(r -> r.queueUrl(stepsQueue).waitTimeSeconds(1).maxNumberOfMessages(10)).messages())
                .extracting(m -> Json.read(m.body(), Due.class)).isEmpty();
    }

    /** What the steps function does: take due work off the queue and deliver it, until n requests were seen. */
    private void drainSteps(Dripline core, int requests, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (received.size() < requests && System.currentTimeMillis() < deadline) {
            for (Message m : engines.sqs().receiveMessage(r -> r.queueUrl(stepsQueue).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                // The same queue carries the drip engine's work (a reply to a waiting step): not this test's.
                if (Json.read(m.body(), Due.class) instanceof Due.WebhookDelivery delivery) {
                    core.outboundWebhooks().deliver(delivery);
                }
                engines.sqs().deleteMessage(r -> r.queueUrl(stepsQueue).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private String receiveOne(int waitSeconds) {
        List<Message> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
        while (got.isEmpty() && System.currentTimeMillis() < deadline) {
            got.addAll(engines.sqs().receiveMessage(r -> r.queueUrl(stepsQueue).waitTimeSeconds(1)).messages());
        }
        Message m = got.get(0);
        engines.sqs().deleteMessage(r -> r.queueUrl(stepsQueue).receiptHandle(m.receiptHandle()));
        return m.body();
    }

    /** The receiver's check, written independently: t=..,v1=hex(HMAC-SHA256(secret, t + "." + body)). */
    private static boolean validSignature(String header, String body) {
        try {
            String t = header.replaceAll("^t=(\\d+),v1=.*$", "$1");
            String v1 = header.replaceAll("^t=\\d+,v1=([0-9a-f]{64})$", "$1");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
            return expected.equals(v1) && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) < 60;
        } catch (Exception e) {
            return false;
        }
    }
}
