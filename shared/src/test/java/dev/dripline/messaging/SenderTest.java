package dev.dripline.messaging;

import dev.dripline.providers.TelnyxSettings;
import dev.dripline.providers.TwilioSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.TestCore;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.ContactInput;
import dev.dripline.errors.Conflict;
import dev.dripline.json.Json;
import dev.dripline.providers.OutboundSms;
import dev.dripline.providers.ProviderStub;
import dev.dripline.providers.SendOutcome;
import dev.dripline.providers.SmsProvider;
import dev.dripline.providers.TelnyxProvider;
import dev.dripline.providers.TwilioProvider;
import dev.dripline.queue.SqsQueue;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.TestClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(EnginesExtension.class)
class SenderTest {

    /** A provider that answers from a script (then accepts) and records every call it gets. */
    static final class ScriptedProvider implements SmsProvider {
        final String name;
        final Deque<SendOutcome> script = new ArrayDeque<>();
        final List<OutboundSms> calls = new CopyOnWriteArrayList<>();
        SendOutcome always;

        ScriptedProvider(String name, SendOutcome... answers) {
            this.name = name;
            script.addAll(List.of(answers));
        }

        static ScriptedProvider always(String name, SendOutcome answer) {
            ScriptedProvider p = new ScriptedProvider(name);
            p.always = answer;
            return p;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized SendOutcome send(OutboundSms sms) {
            calls.add(sms);
            if (always != null) {
                return always;
            }
            return script.isEmpty() ? new SendOutcome.Accepted(name + "-" + calls.size(), 1, null) : script.poll();
        }
    }

    private static final SendOutcome THROTTLED = new SendOutcome.Retryable("HTTP 429", Optional.empty());
    /** A refusal that waiting does not cure: the only kind that uses up attempts. */
    private static final SendOutcome CREDENTIALS_REFUSED = SendOutcome.Retryable.refused("HTTP 401");

    private Engines engines;
    private TestCore testCore;
    private Dripline core;
    private SqsQueue queue;

    @BeforeEach
    void freshTables(Engines engines) {
        this.engines = engines;
        testCore = new TestCore(engines, Clock.systemUTC());
        core = testCore.dripline;
        queue = new SqsQueue(engines.sqs(), testCore.sendQueueUrl);
    }

    private dev.dripline.messaging.Message submit(String to) {
        return core.messages().submit(new OneOffMessage(to, null, "Your code is 123456", "transactional", null, null), "test");
    }

    private static SenderSettings policy(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return Settings.from(env).sender();
    }

    private Sender sender(SenderSettings policy, Clock clock, SmsProvider... providers) {
        // Built as production builds it: the core's shared sender state, scheduler and send queue.
        return core.sender(List.of(providers), policy, clock);
    }

    private Sender sender(SmsProvider... providers) {
        return sender(policy(), Clock.systemUTC(), providers);
    }

    private dev.dripline.messaging.Message stored(dev.dripline.messaging.Message m) {
        return core.messages().get(m.id()).orElseThrow();
    }

    /** The send requests on the queue for one message, other than the one submit put there. */
    private List<SendRequest> requeued(String messageId) {
        List<SendRequest> found = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (Message m : engines.sqs().receiveMessage(r -> r.queueUrl(testCore.sendQueueUrl).maxNumberOfMessages(10)).messages()) {
                SendRequest request = Json.read(m.body(), SendRequest.class);
                if (request.messageId().equals(messageId) && request.attempt() > 0) {
                    found.add(request);
                }
            }
        }
        return found;
    }

    // --- the record and the claim -------------------------------------------------------------

    @Test
    void anAcceptedMessageIsQueuedWithTheProvidersId() {
        var m = submit("+14155550130");
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        assertThat(sender(twilio).send(new SendRequest(m.id()))).isInstanceOf(Sender.Result.Done.class);

        assertThat(stored(m).status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(stored(m).provider()).isEqualTo("twilio");
        assertThat(stored(m).providerMessageId()).isEqualTo("twilio-1");
        assertThat(twilio.calls).singleElement().satisfies(sms -> {
            assertThat(sms.to()).isEqualTo("+14155550130");
            assertThat(sms.statusCallback().toString()).endsWith("/webhooks/twilio/status?m=" + m.id());
        });
    }

    @Test
    void aRedeliveredRequestNeverCallsTheProviderTwice() {
        var m = submit("+14155550131");
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender sender = sender(twilio);
        sender.send(new SendRequest(m.id()));
        sender.send(new SendRequest(m.id()));
        sender.send(new SendRequest(m.id(), 3));
        assertThat(twilio.calls).hasSize(1);
    }

    @Test
    void aCrashAfterTheClaimMeansNoSecondCallOnRedelivery() {
        var m = submit("+14155550132");
        // A worker claimed it, may have called the provider, and died before recording the outcome.
        assertThat(core.messageStore().claim(m.id(), Clock.systemUTC().instant())).isTrue();
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        assertThat(sender(twilio).send(new SendRequest(m.id()))).isEqualTo(new Sender.Result.Done("already claimed"));
        assertThat(twilio.calls).isEmpty();
        assertThat(stored(m).status()).isEqualTo(MessageStatus.ACCEPTED);
    }

    @Test
    void tenConcurrentWorkersOnOneBatchSendEachMessageOnce() throws Exception {
        List<dev.dripline.messaging.Message> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
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
        for (var f : pool.invokeAll(workers)) {
            f.get();
        }
        pool.shutdown();
        assertThat(twilio.calls).extracting(OutboundSms::messageId)
                .containsExactlyInAnyOrderElementsOf(batch.stream().map(dev.dripline.messaging.Message::id).toList());
    }

    // --- failover, unknown, permanent ----------------------------------------------------------

    @Test
    void aRetryableAnswerFailsOverToTheNextProvider() {
        var m = submit("+14155550133");
        ScriptedProvider first = new ScriptedProvider("twilio", new SendOutcome.Retryable("HTTP 503", Optional.empty()));
        ScriptedProvider second = new ScriptedProvider("plivo");
        sender(first, second).send(new SendRequest(m.id()));
        assertThat(first.calls).hasSize(1);
        assertThat(second.calls).hasSize(1);
        assertThat(stored(m).provider()).isEqualTo("plivo");
    }

    @Test
    void anUnknownOutcomeIsNeitherRetriedNorFailedOver() {
        var m = submit("+14155550134");
        ScriptedProvider first = new ScriptedProvider("twilio", new SendOutcome.Unknown("read timed out"));
        ScriptedProvider second = new ScriptedProvider("plivo");
        Sender sender = sender(first, second);
        java.util.List<String> metrics = new java.util.concurrent.CopyOnWriteArrayList<>();
        var previous = dev.dripline.logging.OperationalMetrics.sink(metrics::add);
        try {
            // Issue 14: what follows is a lookup at the provider (ProviderOutageTest), not a send.
            assertThat(sender.send(new SendRequest(m.id()))).isInstanceOf(Sender.Result.Requeued.class);
            sender.send(new SendRequest(m.id()));
        } finally {
            dev.dripline.logging.OperationalMetrics.sink(previous);
        }
        assertThat(first.calls).hasSize(1);
        assertThat(second.calls).isEmpty();
        assertThat(core.messageStore().dispatchable(m.id()).orElseThrow().dispatch()).isEqualTo(MessageStore.UNKNOWN_OUTCOME);
        assertThat(requeued(m.id())).isEmpty();
        // The SendOutcomeUnknown alarm's metric (template.yaml), counted once: the second delivery sent nothing.
        assertThat(metrics).filteredOn(l -> l.contains("\"SendOutcomeUnknown\":1")).hasSize(1);
    }

    @Test
    void aPermanentRefusalFailsTheMessageWithTheProvidersCode() {
        var m = submit("+14155550136");
        ScriptedProvider only = new ScriptedProvider("twilio", new SendOutcome.Permanent("21211", "invalid To", false));
        sender(only).send(new SendRequest(m.id()));
        assertThat(stored(m).status()).isEqualTo(MessageStatus.FAILED);
        assertThat(stored(m).errorCode()).isEqualTo("21211");
        assertThat(core.contacts().byPhone("+14155550136").orElseThrow().consent()).isNotEqualTo(ConsentStatus.OPTED_OUT);
    }

    @Test
    void whenTheFirstProviderIsDownEveryMessageGoesThroughTheSecondOnceAndTheBreakerStopsCallingTheFirst() throws IOException {
        try (ProviderStub twilioStub = new ProviderStub(); ProviderStub telnyxStub = new ProviderStub()) {
            twilioStub.answer(503, "");
            telnyxStub.answer(200, "{\"data\":{\"id\":\"tx\",\"parts\":1}}");
            HttpClient http = HttpClient.newHttpClient();
            SmsProvider twilio = new TwilioProvider(http, new TwilioSettings("AC1", "t", "+15005550006", twilioStub.url()),
                    Duration.ofSeconds(2));
            SmsProvider telnyx = new TelnyxProvider(http, new TelnyxSettings("K", "+15005550007", null, telnyxStub.url()),
                    Duration.ofSeconds(2));
            Sender sender = sender(policy("DRIPLINE_BREAKER_FAILURES", "3"), Clock.systemUTC(), twilio, telnyx);
            List<dev.dripline.messaging.Message> batch = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                batch.add(submit("+1415555016" + i));
            }
            for (var m : batch) {
                sender.send(new SendRequest(m.id()));
                sender.send(new SendRequest(m.id()));
            }
            assertThat(telnyxStub.seen).hasSize(8);
            assertThat(telnyxStub.seen).extracting(s -> Json.read(s.body(), Map.class).get("to"))
                    .containsExactlyInAnyOrderElementsOf(batch.stream().map(dev.dripline.messaging.Message::to).toList());
            assertThat(twilioStub.seen).hasSize(3);
            batch.forEach(m -> assertThat(stored(m).provider()).isEqualTo("telnyx"));
        }
    }

    @Test
    void aRefusedConnectionAtTheFirstProviderFailsOverToo() throws IOException {
        try (ProviderStub telnyxStub = new ProviderStub()) {
            telnyxStub.answer(200, "{\"data\":{\"id\":\"tx\",\"parts\":1}}");
            HttpClient http = HttpClient.newHttpClient();
            SmsProvider twilio = new TwilioProvider(http, new TwilioSettings("AC1", "t", "+15005550006", ProviderStub.refusingUrl()),
                    Duration.ofSeconds(2));
            SmsProvider telnyx = new TelnyxProvider(http, new TelnyxSettings("K", "+15005550007", null, telnyxStub.url()),
                    Duration.ofSeconds(2));
            var m = submit("+14155550170");
            sender(twilio, telnyx).send(new SendRequest(m.id()));
            assertThat(telnyxStub.seen).hasSize(1);
            assertThat(stored(m).status()).isEqualTo(MessageStatus.QUEUED);
        }
    }

    @Test
    void anOpenBreakerIsTriedAgainAfterItsCoolDown() {
        TestClock clock = new TestClock(Instant.now());
        ScriptedProvider twilio = new ScriptedProvider("twilio", THROTTLED, THROTTLED);
        ScriptedProvider plivo = new ScriptedProvider("plivo");
        Sender sender = sender(policy("DRIPLINE_BREAKER_FAILURES", "2", "DRIPLINE_BREAKER_COOL_DOWN", "PT30S"), clock, twilio, plivo);
        sender.send(new SendRequest(submit("+14155550171").id()));
        sender.send(new SendRequest(submit("+14155550172").id()));
        sender.send(new SendRequest(submit("+14155550173").id()));
        assertThat(twilio.calls).hasSize(2);

        clock.advance(Duration.ofSeconds(31));
        var later = submit("+14155550174");
        sender.send(new SendRequest(later.id()));
        assertThat(twilio.calls).hasSize(3);
        assertThat(stored(later).provider()).isEqualTo("twilio");
    }

    @Test
    void whenEveryBreakerIsOpenNothingIsCalledAndTheMessageWaitsForTheCoolDown() {
        TestClock clock = new TestClock(Instant.now());
        ScriptedProvider twilio = ScriptedProvider.always("twilio", THROTTLED);
        Sender sender = sender(policy("DRIPLINE_BREAKER_FAILURES", "1", "DRIPLINE_BREAKER_COOL_DOWN", "PT40S"), clock, twilio);
        sender.send(new SendRequest(submit("+14155550175").id()));
        var m = submit("+14155550176");
        Sender.Result result = sender.send(new SendRequest(m.id()));
        assertThat(twilio.calls).hasSize(1);
        assertThat(result).isInstanceOf(Sender.Result.Requeued.class);
        assertThat(((Sender.Result.Requeued) result).delay()).isEqualTo(Duration.ofSeconds(40));
        assertThat(core.messageStore().dispatchable(m.id()).orElseThrow().dispatch()).isNull();
    }

    // --- routing and cost -----------------------------------------------------------------------

    @Test
    void eachCountryGoesThroughItsRouteAndOthersThroughTheWildcard() {
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        ScriptedProvider vonage = new ScriptedProvider("vonage");
        Sender sender = sender(policy("DRIPLINE_ROUTES", "GB=vonage,twilio;*=twilio"), Clock.systemUTC(), twilio, vonage);
        var uk = submit("+447400123457");
        var us = submit("+14155550177");
        sender.send(new SendRequest(uk.id()));
        sender.send(new SendRequest(us.id()));
        assertThat(vonage.calls).extracting(OutboundSms::messageId).containsExactly(uk.id());
        assertThat(twilio.calls).extracting(OutboundSms::messageId).containsExactly(us.id());
    }

    @Test
    void withoutRoutesTheProvidersOrderIsUsedEverywhere() {
        ScriptedProvider plivo = new ScriptedProvider("plivo");
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        sender(plivo, twilio).send(new SendRequest(submit("+447400123458").id()));
        assertThat(plivo.calls).hasSize(1);
        assertThat(twilio.calls).isEmpty();
    }

    @Test
    void aRouteNamingAnUnconfiguredProviderFailsAtStartUp() {
        assertThatThrownBy(() -> sender(policy("DRIPLINE_ROUTES", "US=telnyx"), Clock.systemUTC(), new ScriptedProvider("twilio")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("telnyx");
    }

    @Test
    void theCostIsPartsTimesTheConfiguredPriceWhenTheProviderSaysNone() {
        ScriptedProvider twilio = new ScriptedProvider("twilio", new SendOutcome.Accepted("SM1", 3, null),
                new SendOutcome.Accepted("SM2", 2, null), new SendOutcome.Accepted("SM3", 2, new BigDecimal("0.0200")));
        Sender sender = sender(policy("DRIPLINE_PRICES", "twilio:US=0.0079;twilio:*=0.05"), Clock.systemUTC(), twilio);
        var us = submit("+14155550178");
        var uk = submit("+447400123459");
        var reported = submit("+14155550179");
        sender.send(new SendRequest(us.id()));
        sender.send(new SendRequest(uk.id()));
        sender.send(new SendRequest(reported.id()));
        assertThat(stored(us).cost()).isEqualByComparingTo("0.0237");
        assertThat(stored(us).segments()).isEqualTo(3);
        assertThat(stored(uk).cost()).isEqualByComparingTo("0.10");
        assertThat(stored(reported).cost()).isEqualByComparingTo("0.0200");
    }

    // --- consent --------------------------------------------------------------------------------

    @Test
    void anOptOutThatArrivesWhileTheMessageWaitsWins() {
        var m = submit("+14155550137");
        core.contacts().upsert(new ContactInput("+14155550137", null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_out", "keyword", null, "STOP", null, null)), "test");
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        sender(twilio).send(new SendRequest(m.id()));
        assertThat(twilio.calls).isEmpty();
        assertThat(stored(m).status()).isEqualTo(MessageStatus.FAILED);
    }

    @Test
    void aProvidersOptOutReportIsWrittenToTheLedgerAndStopsFurtherSends() {
        var first = submit("+14155550150");
        var second = submit("+14155550150");
        ScriptedProvider twilio = new ScriptedProvider("twilio",
                new SendOutcome.Permanent("21610", "Attempt to send to unsubscribed recipient", true));
        ScriptedProvider plivo = new ScriptedProvider("plivo");
        Sender sender = sender(twilio, plivo);
        sender.send(new SendRequest(first.id()));
        sender.send(new SendRequest(second.id()));

        assertThat(stored(first).status()).isEqualTo(MessageStatus.FAILED);
        assertThat(stored(first).errorCode()).isEqualTo("21610");
        var contact = core.contacts().byPhone("+14155550150").orElseThrow();
        assertThat(contact.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(core.consentLedger().entries(contact.id())).singleElement().satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(ConsentStatus.OPTED_OUT);
            assertThat(entry.source()).isEqualTo("provider_report");
            assertThat(entry.actor()).isEqualTo("twilio");
            assertThat(entry.proof()).contains("21610");
        });
        assertThat(twilio.calls).hasSize(1);
        assertThat(plivo.calls).isEmpty();
        assertThat(stored(second).status()).isEqualTo(MessageStatus.FAILED);
        assertThat(stored(second).errorCode()).isEqualTo("opted_out");
        assertThatThrownBy(() -> submit("+14155550150")).isInstanceOf(Conflict.class);
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

    // --- validity -------------------------------------------------------------------------------

    @Test
    void aMessageOlderThanItsValidityExpiresUnsent() {
        var m = submit("+14155550151");
        TestClock clock = new TestClock(m.createdAt().plus(Duration.ofHours(24)).plusSeconds(1));
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        sender(policy(), clock, twilio).send(new SendRequest(m.id()));
        assertThat(twilio.calls).isEmpty();
        assertThat(stored(m).status()).isEqualTo(MessageStatus.EXPIRED);
        assertThat(stored(m).errorCode()).isEqualTo("expired_before_send");
    }

    @Test
    void theValidityPeriodIsConfigurableAndAYoungerMessageIsSent() {
        var old = submit("+14155550152");
        var young = submit("+14155550153");
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        TestClock clock = new TestClock(old.createdAt().plus(Duration.ofMinutes(30)));
        Sender sender = sender(policy("DRIPLINE_SEND_VALIDITY", "PT45M"), clock, twilio);
        sender.send(new SendRequest(young.id()));
        clock.advance(Duration.ofMinutes(16));
        sender.send(new SendRequest(old.id()));
        assertThat(twilio.calls).extracting(OutboundSms::messageId).containsExactly(young.id());
        assertThat(stored(old).status()).isEqualTo(MessageStatus.EXPIRED);
    }

    // --- waiting and retries --------------------------------------------------------------------

    @Test
    void whenEveryProviderIsThrottledTheMessageIsReEnqueuedKeepingItsAttemptAndSentLater() {
        var m = submit("+14155550135");
        ScriptedProvider only = new ScriptedProvider("twilio", new SendOutcome.Retryable("HTTP 429", Optional.of(Duration.ZERO)));
        Sender sender = sender(only);
        Sender.Result result = sender.send(new SendRequest(m.id(), 1));
        assertThat(result).isEqualTo(new Sender.Result.Requeued("no provider took it; twilio: HTTP 429", Duration.ZERO, 1));
        assertThat(core.messageStore().dispatchable(m.id()).orElseThrow().dispatch()).isNull();

        List<SendRequest> next = requeued(m.id());
        assertThat(next).extracting(SendRequest::attempt).containsExactly(1);
        assertThat(next.get(0).waitingFor()).isEqualTo("no provider took it; twilio: HTTP 429");
        assertThat(sender.send(next.get(0))).isInstanceOf(Sender.Result.Done.class);
        assertThat(only.calls).hasSize(2);
        assertThat(stored(m).status()).isEqualTo(MessageStatus.QUEUED);
    }

    @Test
    void withoutRetryAfterTheWaitBacksOffExponentiallyOnTheQueuesDelay() {
        var m = submit("+14155550154");
        Sender sender = sender(ScriptedProvider.always("twilio", CREDENTIALS_REFUSED));
        assertThat(sender.send(new SendRequest(m.id(), 2))).isEqualTo(
                new Sender.Result.Requeued("no provider took it; twilio: HTTP 401", Duration.ofSeconds(60), 3));
        String delayed = engines.sqs().getQueueAttributes(r -> r.queueUrl(testCore.sendQueueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
        assertThat(delayed).isEqualTo("1");
        assertThat(Sender.backoff(0)).isEqualTo(Duration.ofSeconds(15));
        assertThat(Sender.backoff(5)).isEqualTo(Duration.ofSeconds(480));
        assertThat(Sender.backoff(6)).isEqualTo(Duration.ofSeconds(900));
        assertThat(Sender.backoff(40)).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void aLongRetryAfterIsCappedAtTheQueuesLongestDelay() {
        var m = submit("+14155550155");
        Sender sender = sender(ScriptedProvider.always("twilio", new SendOutcome.Retryable("HTTP 429", Optional.of(Duration.ofHours(1)))));
        assertThat(((Sender.Result.Requeued) sender.send(new SendRequest(m.id()))).delay()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void afterTheLastAttemptTheMessageFailsAsRetriesExhausted() {
        var m = submit("+14155550156");
        ScriptedProvider twilio = ScriptedProvider.always("twilio", CREDENTIALS_REFUSED);
        Sender sender = sender(policy("DRIPLINE_SEND_MAX_ATTEMPTS", "3"), Clock.systemUTC(), twilio);
        assertThat(sender.send(new SendRequest(m.id(), 1))).isInstanceOf(Sender.Result.Requeued.class);
        assertThat(sender.send(new SendRequest(m.id(), 2))).isEqualTo(new Sender.Result.Done("retries exhausted"));
        assertThat(stored(m).status()).isEqualTo(MessageStatus.FAILED);
        assertThat(stored(m).errorCode()).isEqualTo("retries_exhausted");
        assertThat(sender.send(new SendRequest(m.id(), 2))).isInstanceOf(Sender.Result.Done.class);
        assertThat(twilio.calls).hasSize(2);
    }

    @Test
    void theDefaultIsEightAttempts() {
        var m = submit("+14155550157");
        Sender sender = sender(ScriptedProvider.always("twilio", CREDENTIALS_REFUSED));
        assertThat(sender.send(new SendRequest(m.id(), 6))).isInstanceOf(Sender.Result.Requeued.class);
        assertThat(sender.send(new SendRequest(m.id(), 7))).isEqualTo(new Sender.Result.Done("retries exhausted"));
    }

    @Test
    void aRequestFromBeforeAttemptsExistedReadsAsTheFirstAttempt() {
        assertThat(Json.read("{\"messageId\":\"msg_1\"}", SendRequest.class)).isEqualTo(new SendRequest("msg_1", 0));
        assertThat(Json.read(Json.write(new SendRequest("msg_1", 4)), SendRequest.class).attempt()).isEqualTo(4);
    }
}
