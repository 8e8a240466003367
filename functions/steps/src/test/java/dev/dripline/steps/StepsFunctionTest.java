package dev.dripline.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.contacts.ContactInput;
import dev.dripline.drip.Campaign;
import dev.dripline.json.Json;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.schedule.Due;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The steps and imports handlers fed SQS events as Lambda delivers them: what the drip engine
 * queues, what EventBridge Scheduler delivers, and chunks of an import. (Their AWS calls are
 * what IamSufficiencyTest checks against StepsFunction's and ImportsFunction's roles.)
 */
@ExtendWith(EnginesExtension.class)
class StepsFunctionTest {

    private Engines engines;
    private TestCore test;
    private Dripline core;
    private String stepsQueueUrl;
    private StepsHandler steps;
    private final TestClock clock = new TestClock(Instant.parse("2037-11-23T15:00:00Z"));

    @BeforeEach
    void start(Engines engines) {
        this.engines = engines;
        stepsQueueUrl = engines.sqs().createQueue(r -> r.queueName("fn-steps-" + System.nanoTime())).queueUrl();
        test = new TestCore(engines, clock, Map.of("DRIPLINE_STEPS_QUEUE_URL", stepsQueueUrl,
                "DRIPLINE_QUEUE_DELAY_UP_TO", "PT0S"));
        core = test.dripline;
        steps = new StepsHandler(core);
    }

    private static SQSEvent event(List<String> bodies) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (String body : bodies) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m" + records.size());
            m.setBody(body);
            records.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    /** Receives what is on a queue (the test, not the function) and hands it to a handler until it is empty. */
    private int drain(String queueUrl, java.util.function.Function<SQSEvent, SQSBatchResponse> handler) {
        int delivered = 0;
        for (int round = 0; round < 100; round++) {
            List<Message> batch = engines.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return delivered;
            }
            SQSBatchResponse response = handler.apply(event(batch.stream().map(Message::body).toList()));
            assertThat(response.getBatchItemFailures()).isEmpty();
            batch.forEach(m -> engines.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
            delivered += batch.size();
        }
        throw new IllegalStateException(queueUrl + " never emptied");
    }

    /** What EventBridge Scheduler would deliver now: every schedule, as the steps queue's message. */
    private void fireSchedules() {
        List<TestCore.Scheduled> due = new ArrayList<>(test.scheduled);
        test.scheduled.clear();
        for (TestCore.Scheduled s : due) {
            assertThat(steps.handleRequest(event(List.of(Json.write(s.due()))), null).getBatchItemFailures()).isEmpty();
        }
    }

    private String contact(String phone) {
        return core.contacts().upsert(new ContactInput(phone, null, "Ada", null, null, null, Map.of(), null,
                new ContactInput.ConsentInput("opted_in", "test", null, "Yes, text me", null, null)), "test").contact().id();
    }

    private int sendQueueDepth() {
        return engines.sqs().receiveMessage(r -> r.queueUrl(test.sendQueueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                .visibilityTimeout(0)).messages().size();
    }

    @Test
    void anEventEnrolsAndTheScheduledStepsSendThroughTheHandler() {
        Campaign c = core.campaigns().create(Json.read("""
                {"name": "Welcome", "trigger": {"event": "signup"}, "category": "transactional",
                 "steps": [{"id": "hi", "send": {"body": "Welcome!"}}, {"id": "later", "wait": "PT1H", "send": {"body": "Still there?"}}]}""",
                JsonNode.class));
        core.journeyInbox().activated(core.campaigns().transition(c.id(), Campaign.Status.ACTIVE));
        drain(stepsQueueUrl, e -> steps.handleRequest(e, null));
        String contact = contact("+14155550181");
        core.journeyInbox().event(new dev.dripline.drip.JourneyInbox.EventInput(null, contact, null, null, "signup", Map.of(), null));
        assertThat(drain(stepsQueueUrl, e -> steps.handleRequest(e, null))).isPositive();
        assertThat(sendQueueDepth()).as("the first step's message, queued for the sender").isEqualTo(1);
        assertThat(test.scheduled).as("the second step, an hour later").isNotEmpty();
        clock.set(clock.instant().plusSeconds(2 * 3600));
        fireSchedules();
        drain(stepsQueueUrl, e -> steps.handleRequest(e, null));
        assertThat(sendQueueDepth()).isEqualTo(2);
        // A reply and an opt-out reach the handler as the webhooks function queues them.
        assertThat(steps.handleRequest(event(List.of(Json.write(new Due.OptOut(contact, clock.instant())))), null)
                .getBatchItemFailures()).isEmpty();
    }

    @Test
    void aScheduledOneOffSendIsReleasedWhenItsScheduleFires() {
        contact("+14155550182");
        var m = core.messages().submit(new OneOffMessage("+14155550182", null, "Later", "transactional", null,
                clock.instant().plusSeconds(3600)), "test");
        assertThat(test.scheduled).extracting(TestCore.Scheduled::due).containsExactly(new Due.ScheduledSend(m.id()));
        assertThat(sendQueueDepth()).isZero();
        clock.set(clock.instant().plusSeconds(3600));
        fireSchedules();
        assertThat(sendQueueDepth()).isEqualTo(1);
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.ACCEPTED);
    }

    @Test
    void anImportsChunkIsWrittenByTheImportsHandler() {
        ImportsHandler imports = new ImportsHandler(core);
        Map<String, Object> started = core.imports().start("phone,firstName,tags,consent.status,consent.source,consent.proof\n"
                + "+14155550183,Ada,vip,opted_in,web_form,Yes text me\n+14155550184,Bob,,,,\n", "api-key:test");
        String url = core.settings().audience().importsQueueUrl();
        assertThat(drain(url, e -> imports.handleRequest(e, null))).isPositive();
        assertThat(core.imports().status((String) started.get("id"))).containsEntry("status", "completed");
    }
}
