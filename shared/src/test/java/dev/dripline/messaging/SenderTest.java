package dev.dripline.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.contacts.ContactInput;
import dev.dripline.errors.Conflict;
import dev.dripline.providers.OutboundSms;
import dev.dripline.providers.SendOutcome;
import dev.dripline.providers.SmsProvider;
import dev.dripline.testkit.Engines;
import dev.dripline.testkit.EnginesExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class SenderTest {

    /** A provider that answers from a script and records every call it gets. */
    static final class ScriptedProvider implements SmsProvider {
        final String name;
        final Deque<SendOutcome> script = new ArrayDeque<>();
        final List<OutboundSms> calls = new CopyOnWriteArrayList<>();

        ScriptedProvider(String name, SendOutcome... answers) {
            this.name = name;
            script.addAll(List.of(answers));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized SendOutcome send(OutboundSms sms) {
            calls.add(sms);
            return script.isEmpty() ? new SendOutcome.Accepted(name + "-" + calls.size(), 1, null) : script.poll();
        }
    }

    private Dripline core;

    @BeforeEach
    void freshTables(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC()).dripline;
    }

    private Message submit(String to) {
        return core.messages().submit(new OneOffMessage(to, null, "Your code is 123456", "transactional", null, null), "test");
    }

    private Sender sender(SmsProvider... providers) {
        return new Sender(core.messageStore(), core.contacts(), List.of(providers), core.settings().publicUrl(), Clock.systemUTC());
    }

    @Test
    void anAcceptedMessageIsQueuedWithTheProvidersId() {
        Message m = submit("+14155550130");
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        assertThat(sender(twilio).send(new SendRequest(m.id()))).isInstanceOf(Sender.Result.Done.class);

        Message stored = core.messages().get(m.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(stored.provider()).isEqualTo("twilio");
        assertThat(stored.providerMessageId()).isEqualTo("twilio-1");
        assertThat(twilio.calls).singleElement().satisfies(sms -> {
            assertThat(sms.to()).isEqualTo("+14155550130");
            assertThat(sms.statusCallback().toString()).endsWith("/webhooks/twilio/status?m=" + m.id());
        });
    }

    @Test
    void aRedeliveredRequestNeverCallsTheProviderTwice() {
        Message m = submit("+14155550131");
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender sender = sender(twilio);
        sender.send(new SendRequest(m.id()));
        sender.send(new SendRequest(m.id()));
        sender.send(new SendRequest(m.id()));
        assertThat(twilio.calls).hasSize(1);
    }

    @Test
    void aCrashAfterTheClaimMeansNoSecondCallOnRedelivery() {
        Message m = submit("+14155550132");
        // A worker claimed it and died before recording the outcome.
        assertThat(core.messageStore().claim(m.id(), Clock.systemUTC().instant())).isTrue();
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        assertThat(sender(twilio).send(new SendRequest(m.id()))).isEqualTo(new Sender.Result.Done("already claimed"));
        assertThat(twilio.calls).isEmpty();
    }

    @Test
    void tenConcurrentWorkersSendEachMessageOnce() throws Exception {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(submit("+1415555014" + i));
        }
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender sender = sender(twilio);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Callable<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 10; w++) {
            workers.add(() -> {
                batch.forEach(m -> sender.send(new SendRequest(m.id())));
                return null;
            });
        }
        pool.invokeAll(workers).forEach(f -> {
            try {
                f.get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        pool.shutdown();
        assertThat(twilio.calls).extracting(OutboundSms::messageId)
                .containsExactlyInAnyOrderElementsOf(batch.stream().map(Message::id).toList());
    }

    @Test
    void aRetryableAnswerFailsOverToTheNextProvider() {
        Message m = submit("+14155550133");
        ScriptedProvider first = new ScriptedProvider("twilio", new SendOutcome.Retryable("HTTP 503", Optional.empty()));
        ScriptedProvider second = new ScriptedProvider("plivo");
        sender(first, second).send(new SendRequest(m.id()));
        assertThat(first.calls).hasSize(1);
        assertThat(second.calls).hasSize(1);
        assertThat(core.messages().get(m.id()).orElseThrow().provider()).isEqualTo("plivo");
    }

    @Test
    void anUnknownOutcomeIsNeitherRetriedNorFailedOver() {
        Message m = submit("+14155550134");
        ScriptedProvider first = new ScriptedProvider("twilio", new SendOutcome.Unknown("read timed out"));
        ScriptedProvider second = new ScriptedProvider("plivo");
        Sender sender = sender(first, second);
        assertThat(sender.send(new SendRequest(m.id()))).isInstanceOf(Sender.Result.Done.class);
        sender.send(new SendRequest(m.id()));
        assertThat(first.calls).hasSize(1);
        assertThat(second.calls).isEmpty();
        assertThat(core.messageStore().dispatchable(m.id()).orElseThrow().dispatch()).isEqualTo(MessageStore.UNKNOWN_OUTCOME);
    }

    @Test
    void whenEveryProviderIsThrottledTheMessageWaitsOnTheQueueAndIsSentLater() {
        Message m = submit("+14155550135");
        ScriptedProvider only = new ScriptedProvider("twilio",
                new SendOutcome.Retryable("HTTP 429", Optional.of(Duration.ofSeconds(7))));
        Sender sender = sender(only);
        assertThat(sender.send(new SendRequest(m.id())))
                .isEqualTo(new Sender.Result.Retry("no provider took it; last: twilio: HTTP 429", Optional.of(Duration.ofSeconds(7))));
        assertThat(sender.send(new SendRequest(m.id()))).isInstanceOf(Sender.Result.Done.class);
        assertThat(only.calls).hasSize(2);
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    }

    @Test
    void aPermanentRefusalFailsTheMessageWithTheProvidersCode() {
        Message m = submit("+14155550136");
        ScriptedProvider only = new ScriptedProvider("twilio", new SendOutcome.Permanent("21211", "invalid To", false));
        sender(only).send(new SendRequest(m.id()));
        Message stored = core.messages().get(m.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(stored.errorCode()).isEqualTo("21211");
    }

    @Test
    void anOptOutThatArrivesWhileTheMessageWaitsWins() {
        Message m = submit("+14155550137");
        core.contacts().upsert(new ContactInput("+14155550137", null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_out", "keyword", null, "STOP", null, null)), "test");
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        sender(twilio).send(new SendRequest(m.id()));
        assertThat(twilio.calls).isEmpty();
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.FAILED);
    }

    @Test
    void nothingIsAcceptedForANumberThatOptedOutOrMarketingWithoutOptIn() {
        core.contacts().upsert(new ContactInput("+14155550138", null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_out", "keyword", null, "STOP", null, null)), "test");
        assertThatThrownBy(() -> submit("+14155550138")).isInstanceOf(Conflict.class).hasMessageContaining("opted out");
        assertThatThrownBy(() -> core.messages().submit(
                new OneOffMessage("+14155550139", null, "Sale!", "marketing", null, null), "t"))
                .isInstanceOf(Conflict.class).hasMessageContaining("opt-in");
    }
}
