package dev.dripline.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.TestCore;
import dev.dripline.contacts.ContactInput;
import dev.dripline.engines.ClientCalls;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.json.Json;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 21: the request the API queues with a one-off message carries its card, so the send round
 * reads nothing of the messages table; the claim decides and returns what is sent.
 */
@ExtendWith(EnginesExtension.class)
class SendCardTest {

    private final ClientCalls calls = new ClientCalls();
    private Engines engines;
    private TestCore testCore;
    private Dripline core;

    @BeforeEach
    void fresh(Engines engines) {
        this.engines = engines;
        testCore = new TestCore(engines, Clock.systemUTC(), Map.of(), calls);
        core = testCore.dripline;
    }

    private SendRequest queued(String messageId) {
        return engines.sqs().receiveMessage(r -> r.queueUrl(testCore.sendQueueUrl).maxNumberOfMessages(10)).messages().stream()
                .map(m -> Json.read(m.body(), SendRequest.class)).filter(r -> r.messageId().equals(messageId)).findFirst().orElseThrow();
    }

    private Sender sender(SenderTest.ScriptedProvider provider) {
        return core.sender(List.of(provider), Settings.from(Map.of()).sender(), Clock.systemUTC());
    }

    @Test
    void theFirstRoundOfAOneOffMessageReadsNothingOfTheMessagesTable() {
        // Before: a consistent GetItem of the message, then the claim.
        Message m = core.messages().submit(new OneOffMessage("+14155550170", null, "Your code is 123456", "transactional", null, null), "t");
        SendRequest request = queued(m.id());
        assertThat(request.card()).isNotNull();
        assertThat(request.card().body()).isEqualTo("Your code is 123456");
        SenderTest.ScriptedProvider twilio = new SenderTest.ScriptedProvider("twilio");
        Sender sender = sender(twilio);
        calls.trace(true);
        calls.reset();

        assertThat(sender.send(request)).isEqualTo(new Sender.Result.Done("handed to twilio"));

        assertThat(calls.traced().keySet()).noneMatch(shape -> shape.startsWith("GetItem") && shape.contains("messages"));
        assertThat(twilio.calls).singleElement().satisfies(sms -> {
            assertThat(sms.to()).isEqualTo("+14155550170");
            assertThat(sms.body()).isEqualTo("Your code is 123456");
        });
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    }

    @Test
    void aCardedRequestDeliveredAgainSendsNothingMore() {
        Message m = core.messages().submit(new OneOffMessage("+14155550171", null, "hi", "transactional", null, null), "t");
        SendRequest request = queued(m.id());
        SenderTest.ScriptedProvider twilio = new SenderTest.ScriptedProvider("twilio");
        Sender sender = sender(twilio);
        sender.send(request);
        assertThat(sender.send(request)).isEqualTo(new Sender.Result.Done("already handed_over"));
        assertThat(twilio.calls).hasSize(1);
    }

    @Test
    void aCardedRequestForAMessageClaimedByACrashedWorkerSendsNothing() {
        Message m = core.messages().submit(new OneOffMessage("+14155550172", null, "hi", "transactional", null, null), "t");
        SendRequest request = queued(m.id());
        assertThat(core.messageStore().claim(m.id(), Clock.systemUTC().instant())).isTrue();
        SenderTest.ScriptedProvider twilio = new SenderTest.ScriptedProvider("twilio");
        assertThat(sender(twilio).send(request)).isEqualTo(new Sender.Result.Done("already claimed"));
        assertThat(twilio.calls).isEmpty();
    }

    @Test
    void aStopBeforeTheCardedRoundStillWins() {
        Message m = core.messages().submit(new OneOffMessage("+14155550173", null, "hi", "transactional", null, null), "t");
        SendRequest request = queued(m.id());
        core.contacts().upsert(new ContactInput("+14155550173", null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_out", "keyword", null, "STOP", null, null)), "test");
        SenderTest.ScriptedProvider twilio = new SenderTest.ScriptedProvider("twilio");
        sender(twilio).send(request);
        assertThat(twilio.calls).isEmpty();
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.FAILED);
    }

    @Test
    void aMessageFailedMeanwhileIsNotSentByItsCardedRequest() {
        Message m = core.messages().submit(new OneOffMessage("+14155550174", null, "hi", "transactional", null, null), "t");
        SendRequest request = queued(m.id());
        core.messageStore().recordStatus(m.id(), MessageStatus.FAILED, "queue_unavailable", Clock.systemUTC().instant(), "api:queue");
        SenderTest.ScriptedProvider twilio = new SenderTest.ScriptedProvider("twilio");
        assertThat(sender(twilio).send(request)).isEqualTo(new Sender.Result.Done("already failed"));
        assertThat(twilio.calls).isEmpty();
    }

    @Test
    void aTopicWithdrawnBeforeTheCardedRoundStopsTheMessage() {
        // The card carries the message's topic: without it, the carded round skipped the topic check.
        Message m = core.messages().submit(new OneOffMessage("+14155550175", null, "See you at 3", "transactional", null, null, null,
                "reminders", null), "t");
        SendRequest request = queued(m.id());
        assertThat(request.card().topic()).isEqualTo("reminders");
        core.contacts().changeConsent(m.contactId(), "reminders", dev.dripline.consent.ConsentStatus.OPTED_OUT, "api", "unticked",
                "test", null, s -> true, null, tx -> { });
        SenderTest.ScriptedProvider twilio = new SenderTest.ScriptedProvider("twilio");
        sender(twilio).send(request);
        assertThat(twilio.calls).isEmpty();
        Message failed = core.messages().get(m.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo("topic_withdrawn");
    }
}
