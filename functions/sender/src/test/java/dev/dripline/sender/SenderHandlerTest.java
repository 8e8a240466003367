package dev.dripline.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.sun.net.httpserver.HttpServer;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.json.Json;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.messaging.SendRequest;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sender Lambda fed the sample SQS event of events/, sending through a stub of the simulated carrier. */
@ExtendWith(EnginesExtension.class)
class SenderHandlerTest {

    private HttpServer carrier;
    private final AtomicInteger calls = new AtomicInteger();
    /** How many of the next calls the carrier answers 429 (Retry-After: 0). */
    private final AtomicInteger throttle = new AtomicInteger();
    private String sendQueueUrl;
    private Engines engines;
    private Dripline core;
    private SenderHandler handler;

    @BeforeEach
    void start(Engines engines) throws IOException {
        carrier = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        carrier.createContext("/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                exchange.sendResponseHeaders(429, -1);
                exchange.close();
                return;
            }
            byte[] body = ("{\"id\":\"sim_" + calls.incrementAndGet() + "\",\"parts\":1}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        carrier.start();
        this.engines = engines;
        TestCore testCore = new TestCore(engines, Clock.systemUTC(),
                Map.of("DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:" + carrier.getAddress().getPort()));
        core = testCore.dripline;
        sendQueueUrl = testCore.sendQueueUrl;
        handler = new SenderHandler(core);
    }

    @AfterEach
    void stop() {
        carrier.stop(0);
    }

    private SQSEvent sample(String... bodies) {
        SQSEvent event = EventLoader.loadSQSEvent("../../events/sqs-send.json");
        SQSEvent.SQSMessage template = event.getRecords().get(0);
        List<SQSEvent.SQSMessage> records = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId("record-" + i);
            r.setReceiptHandle(template.getReceiptHandle());
            r.setEventSourceArn(template.getEventSourceArn());
            r.setAttributes(template.getAttributes());
            r.setBody(bodies[i]);
            records.add(r);
        }
        event.setRecords(records);
        return event;
    }

    @Test
    void theSampleEventsMessageIsHandedToTheProviderOnceEvenWhenRedelivered() {
        Message m = core.messages().submit(new OneOffMessage("+14155550180", null, "hi", "transactional", null, null), "t");
        SQSEvent event = sample("{\"messageId\":\"" + m.id() + "\"}");
        assertThat(handler.handleRequest(event, null).getBatchItemFailures()).isEmpty();
        assertThat(handler.handleRequest(event, null).getBatchItemFailures()).isEmpty();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    }

    @Test
    void aPoisonRecordFailsAloneAndTheRestOfTheBatchIsSent() {
        Message m = core.messages().submit(new OneOffMessage("+14155550181", null, "hi", "transactional", null, null), "t");
        SQSBatchResponse response = handler.handleRequest(sample("not json", "{\"messageId\":\"" + m.id() + "\"}"), null);
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("record-0");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aThrottledSendIsAcknowledgedAndReEnqueuedKeepingItsAttempt() {
        Message m = core.messages().submit(new OneOffMessage("+14155550182", null, "hi", "transactional", null, null), "t");
        engines.sqs().purgeQueue(r -> r.queueUrl(sendQueueUrl));
        throttle.set(1);
        assertThat(handler.handleRequest(sample("{\"messageId\":\"" + m.id() + "\"}"), null).getBatchItemFailures()).isEmpty();
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.ACCEPTED);

        List<String> bodies = engines.sqs().receiveMessage(r -> r.queueUrl(sendQueueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages().stream().map(software.amazon.awssdk.services.sqs.model.Message::body).toList();
        assertThat(bodies).hasSize(1);
        SendRequest next = Json.read(bodies.get(0), SendRequest.class);
        // Issue 14: a throttled provider did not try the message, so the attempt is kept; the reason it waits rides along.
        assertThat(next).usingRecursiveComparison().ignoringFields("correlationId", "waitingFor").isEqualTo(new SendRequest(m.id(), 0));
        assertThat(next.waitingFor()).contains("429");
        // The retry keeps the correlation id the first attempt ran under.
        assertThat(next.correlationId()).isNotBlank();

        assertThat(handler.handleRequest(sample(bodies.get(0)), null).getBatchItemFailures()).isEmpty();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    }

    @Test
    void aBatchOfTenHandOversIsCountedInOneWritePerCounterItem() {
        // Before: one UpdateItem of the day's counters per hand-over (ten for this batch).
        dev.dripline.engines.ClientCalls counted = new dev.dripline.engines.ClientCalls();
        TestCore testCore = new TestCore(engines, Clock.systemUTC(),
                Map.of("DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:" + carrier.getAddress().getPort()), counted);
        Dripline countedCore = testCore.dripline;
        String[] bodies = new String[10];
        for (int i = 0; i < 10; i++) {
            Message m = countedCore.messages().submit(new OneOffMessage("+1415555019" + i, null, "hi", "transactional", null, null), "t");
            bodies[i] = "{\"messageId\":\"" + m.id() + "\"}";
        }
        counted.trace(true);
        counted.reset();
        assertThat(new SenderHandler(countedCore).handleRequest(sample(bodies), null).getBatchItemFailures()).isEmpty();

        assertThat(calls.get()).isEqualTo(10);
        long counterWrites = counted.traced().entrySet().stream().filter(e -> e.getKey().startsWith("UpdateItem") && e.getKey().contains("counters"))
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(counterWrites).as("counter writes for ten hand-overs: %s", counted.traced()).isEqualTo(1);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        assertThat(countedCore.counters().days(today, today).get(today).total("sent")).isEqualTo(10);
        assertThat(countedCore.counters().days(today, today).get(today).total("segments")).isEqualTo(10);
    }
}
