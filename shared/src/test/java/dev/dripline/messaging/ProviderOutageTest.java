package dev.dripline.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.TestCore;
import dev.dripline.logging.OperationalMetrics;
import dev.dripline.providers.OutboundSms;
import dev.dripline.providers.SendLookup;
import dev.dripline.providers.SendOutcome;
import dev.dripline.providers.SmsProvider;
import dev.dripline.queue.SqsQueue;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Issue 14: waiting for a provider is not failing, and an unknown outcome is shown, looked up
 * and settled, never sent twice on chance. Time is a {@link TestClock}; the queue's delays are
 * replayed in order by {@link #drain} instead of being waited for.
 */
@ExtendWith(EnginesExtension.class)
class ProviderOutageTest {

    /** A provider whose answers (to sends and to lookups) are functions of the clock. */
    static final class FlakyProvider implements SmsProvider {
        final String name;
        final List<OutboundSms> calls = new CopyOnWriteArrayList<>();
        final List<OutboundSms> lookups = new CopyOnWriteArrayList<>();
        Function<OutboundSms, SendOutcome> answer = sms -> new SendOutcome.Accepted("SM" + sms.messageId(), 1, null);
        final Deque<SendLookup> lookupAnswers = new ArrayDeque<>();

        FlakyProvider(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized SendOutcome send(OutboundSms sms) {
            calls.add(sms);
            return answer.apply(sms);
        }

        @Override
        public synchronized SendLookup lookup(OutboundSms sms, Instant calledAt) {
            lookups.add(sms);
            return lookupAnswers.isEmpty() ? new SendLookup.Undetermined("no answer scripted", true)
                    : lookupAnswers.size() > 1 ? lookupAnswers.poll() : lookupAnswers.peek();
        }

        long callsFor(String messageId) {
            return calls.stream().filter(c -> c.messageId().equals(messageId)).count();
        }
    }

    private Engines engines;
    private TestCore testCore;
    private Dripline core;
    private TestClock clock;

    @BeforeEach
    void fresh(Engines engines) {
        this.engines = engines;
        clock = new TestClock(Instant.now());
        testCore = new TestCore(engines, clock);
        core = testCore.dripline;
    }

    private Message submit(String to) {
        return core.messages().submit(new OneOffMessage(to, null, "Your code is 123456", "transactional", null, null), "test");
    }

    private Sender sender(FlakyProvider provider, String... env) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i + 1 < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        SenderSettings policy = Settings.from(vars).sender();
        return core.sender(List.of(provider), policy, clock);
    }

    private Message stored(Message m) {
        return core.messages().get(m.id()).orElseThrow();
    }

    /**
     * Plays the queue: each request runs when its delay is due (the clock jumps there), and a
     * requeued one comes back after the delay the sender asked for. Stops when nothing is left or
     * after {@code limit} rounds.
     */
    private int drain(Sender sender, List<Message> messages, int limit) {
        record Due(Instant at, SendRequest request, long order) {
        }
        PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparing(Due::at).thenComparing(Due::order));
        long order = 0;
        for (Message m : messages) {
            queue.add(new Due(clock.instant(), new SendRequest(m.id()), order++));
        }
        int rounds = 0;
        int seenSchedules = testCore.scheduled.size();
        while (!queue.isEmpty() && rounds < limit) {
            Due next = queue.poll();
            if (next.at().isAfter(clock.instant())) {
                clock.set(next.at());
            }
            rounds++;
            Sender.Result result = sender.send(next.request());
            if (result instanceof Sender.Result.Requeued requeued) {
                queue.add(new Due(clock.instant().plus(requeued.delay()),
                        new SendRequest(next.request().messageId(), requeued.attempt(), null, null, null, null, requeued.reason()), order++));
            }
            // A wait past SQS's longest delay went to the scheduler: it comes back as a send at its time.
            while (seenSchedules < testCore.scheduled.size()) {
                TestCore.Scheduled scheduled = testCore.scheduled.get(seenSchedules++);
                if (scheduled.due() instanceof dev.dripline.schedule.Due.ScheduledSend send) {
                    queue.add(new Due(scheduled.at(), new SendRequest(send.messageId()), order++));
                }
            }
        }
        return rounds;
    }

    @Test
    void aPartSecondDelayIsRoundedUpSoTheRequestDoesNotComeStraightBack() {
        assertThat(SqsQueue.wholeSeconds(Duration.ofMillis(300))).isEqualTo(1);
        assertThat(SqsQueue.wholeSeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(SqsQueue.wholeSeconds(Duration.ofSeconds(3))).isEqualTo(3);
        SqsQueue queue = new SqsQueue(engines.sqs(), testCore.sendQueueUrl);
        engines.sqs().purgeQueue(r -> r.queueUrl(testCore.sendQueueUrl));
        queue.send(new SendRequest("msg_x"), Duration.ofMillis(300));
        String delayed = engines.sqs().getQueueAttributes(r -> r.queueUrl(testCore.sendQueueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
        assertThat(delayed).isEqualTo("1");
    }

    @Test
    void aTenMinuteOutageOfTheOnlyProviderFailsNothingAndSendsEachMessageOnceAfterIt() {
        FlakyProvider twilio = new FlakyProvider("twilio");
        Instant recovery = clock.instant().plus(Duration.ofMinutes(10));
        Map<String, Integer> taken = new java.util.concurrent.ConcurrentHashMap<>();
        twilio.answer = sms -> {
            if (clock.instant().isBefore(recovery)) {
                return new SendOutcome.Retryable("twilio throttled (429)", Optional.of(Duration.ofSeconds(2)));
            }
            taken.merge(sms.messageId(), 1, Integer::sum);
            return new SendOutcome.Accepted("SM" + sms.messageId(), 1, null);
        };
        // Few attempts, so that an attempt spent on waiting would fail the messages well inside the outage.
        Sender sender = sender(twilio, "DRIPLINE_SEND_MAX_ATTEMPTS", "3", "DRIPLINE_BREAKER_FAILURES", "2",
                "DRIPLINE_BREAKER_COOL_DOWN", "PT30S");
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(submit("+1415555" + (2000 + i)));
        }
        drain(sender, batch, 20_000);

        for (Message m : batch) {
            assertThat(stored(m).status()).as(m.id()).isEqualTo(MessageStatus.QUEUED);
            assertThat(stored(m).providerMessageId()).isEqualTo("SM" + m.id());
            assertThat(taken.get(m.id())).as("sends of " + m.id()).isEqualTo(1);
        }
        // The open circuit kept the outage quiet: about one trial call per cool-down, not one per message and round.
        assertThat(twilio.calls.size() - 10).isLessThan(2 + 2 * (10 * 60 / 30));
    }

    @Test
    void aMessageThatWaitsPastItsValidityEndsExpiredWithTheReason() {
        FlakyProvider twilio = new FlakyProvider("twilio");
        twilio.answer = sms -> new SendOutcome.Retryable("twilio unreachable: ConnectException", Optional.empty());
        Sender sender = sender(twilio, "DRIPLINE_SEND_VALIDITY", "PT5M", "DRIPLINE_BREAKER_COOL_DOWN", "PT20S");
        Message m = submit("+14155552100");
        Instant deadline = m.createdAt().plus(Duration.ofMinutes(5));
        drain(sender, List.of(m), 1_000);

        Message after = stored(m);
        assertThat(after.status()).isEqualTo(MessageStatus.EXPIRED);
        assertThat(after.errorCode()).isEqualTo("provider_unavailable");
        assertThat(clock.instant()).isBetween(deadline, deadline.plusSeconds(2));
        assertThat(twilio.calls).isNotEmpty();
    }

    @Test
    void anUnknownOutcomeIsShownWithItsReasonAndEmittedAsAMetric() {
        List<String> lines = new CopyOnWriteArrayList<>();
        var previous = OperationalMetrics.sink(lines::add);
        try {
            FlakyProvider twilio = new FlakyProvider("twilio");
            twilio.answer = sms -> new SendOutcome.Unknown("twilio answered 500 after taking the request");
            Message m = submit("+14155552101");
            sender(twilio).send(new SendRequest(m.id()));

            Message after = stored(m);
            assertThat(after.status()).isEqualTo(MessageStatus.UNKNOWN);
            assertThat(after.history()).last().satisfies(change -> {
                assertThat(change.status()).isEqualTo(MessageStatus.UNKNOWN);
                assertThat(change.errorCode()).isEqualTo("twilio answered 500 after taking the request");
            });
            assertThat(after.errorCode()).isNull();
            assertThat(lines).anySatisfy(line -> {
                assertThat(line).contains("\"Name\":\"SendOutcomeUnknown\"").contains("\"Namespace\":\"" + OperationalMetrics.NAMESPACE + "\"");
            });
        } finally {
            OperationalMetrics.sink(previous);
        }
    }

    @Test
    void aLookupThatFindsTheMessageSettlesItWithoutASecondSend() {
        FlakyProvider twilio = new FlakyProvider("twilio");
        twilio.answer = sms -> new SendOutcome.Unknown("twilio did not answer in time");
        twilio.lookupAnswers.add(new SendLookup.Found(new SendOutcome.Accepted("SMfound", 1, null)));
        Sender sender = sender(twilio);
        Message m = submit("+14155552102");
        drain(sender, List.of(m), 100);

        assertThat(twilio.calls).hasSize(1);
        assertThat(twilio.lookups).singleElement().satisfies(sms -> assertThat(sms.to()).isEqualTo("+14155552102"));
        assertThat(stored(m).status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(stored(m).providerMessageId()).isEqualTo("SMfound");
        assertThat(stored(m).history()).extracting(Message.StatusChange::status)
                .containsExactly(MessageStatus.ACCEPTED, MessageStatus.UNKNOWN, MessageStatus.QUEUED);
    }

    @Test
    void aLookupIsNotMadeBeforeTheProvidersRecordsCanShowTheCall() {
        FlakyProvider twilio = new FlakyProvider("twilio");
        twilio.answer = sms -> new SendOutcome.Unknown("reset");
        twilio.lookupAnswers.add(new SendLookup.NotSent("empty list"));
        Sender sender = sender(twilio, "DRIPLINE_PROVIDER_TIMEOUT", "PT10S");
        Message m = submit("+14155552103");
        sender.send(new SendRequest(m.id()));
        // A redelivery of the first request right away must not look (a list may lag the call) nor send.
        Sender.Result early = sender.send(new SendRequest(m.id()));
        assertThat(early).isInstanceOf(Sender.Result.Requeued.class);
        assertThat(((Sender.Result.Requeued) early).delay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(twilio.lookups).isEmpty();
        assertThat(twilio.calls).hasSize(1);
    }

    @Test
    void aLookupThatProvesNothingWasSentSendsItOnceAndOnlyOnce() {
        FlakyProvider twilio = new FlakyProvider("twilio");
        Instant recovery = clock.instant().plus(Duration.ofMinutes(3));
        twilio.answer = sms -> clock.instant().isBefore(recovery) ? new SendOutcome.Unknown("twilio answered 500")
                : new SendOutcome.Accepted("SM" + sms.messageId(), 1, null);
        twilio.lookupAnswers.add(new SendLookup.NotSent("not in the list"));
        Sender sender = sender(twilio, "DRIPLINE_PROVIDER_TIMEOUT", "PT1S");
        Message m = submit("+14155552104");
        sender.send(new SendRequest(m.id()));
        clock.set(recovery);
        Sender.Result settled = sender.send(new SendRequest(m.id()));
        assertThat(settled).isEqualTo(new Sender.Result.Done("handed to twilio"));
        // Another copy of the lookup request arriving later neither looks again nor sends.
        assertThat(sender.send(new SendRequest(m.id()))).isInstanceOf(Sender.Result.Done.class);
        assertThat(twilio.calls).hasSize(2);
        assertThat(twilio.lookups).hasSize(1);
        assertThat(stored(m).status()).isEqualTo(MessageStatus.QUEUED);
    }

    @Test
    void anOutcomeNoLookupCanSettleStaysUnknownForGoodWhenItsValidityPasses() {
        FlakyProvider aws = new FlakyProvider("aws");
        aws.answer = sms -> new SendOutcome.Unknown("aws internal error after taking the request");
        aws.lookupAnswers.add(new SendLookup.Undetermined("aws offers no lookup", false));
        Sender sender = sender(aws, "DRIPLINE_SEND_VALIDITY", "PT2H");
        Message m = submit("+14155552105");
        drain(sender, List.of(m), 100);

        assertThat(aws.calls).hasSize(1);
        Message after = stored(m);
        assertThat(after.status()).isEqualTo(MessageStatus.UNKNOWN);
        assertThat(after.history()).last().satisfies(change -> assertThat(change.errorCode()).startsWith("validity passed"));
        assertThat(clock.instant()).isAfterOrEqualTo(m.createdAt().plus(Duration.ofHours(2)));
        assertThat(core.messageStore().dispatchable(m.id()).orElseThrow().dispatch()).isEqualTo(MessageStore.UNKNOWN_FOR_GOOD);
        // A late receipt still says what happened.
        core.messageStore().recordStatus(m.id(), MessageStatus.DELIVERED, null, clock.instant(), "aws:late");
        assertThat(stored(m).status()).isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void aReceiptSettlesAnUnknownOutcomeAndTheLookupThenDoesNothing() {
        FlakyProvider twilio = new FlakyProvider("twilio");
        twilio.answer = sms -> new SendOutcome.Unknown("reset");
        Sender sender = sender(twilio);
        Message m = submit("+14155552106");
        sender.send(new SendRequest(m.id()));
        core.messageStore().recordStatus(m.id(), MessageStatus.DELIVERED, null, clock.instant(), "twilio:SM1:delivered");
        clock.advance(Duration.ofMinutes(5));
        assertThat(sender.send(new SendRequest(m.id()))).isEqualTo(new Sender.Result.Done("unknown outcome settled by a receipt: delivered"));
        assertThat(twilio.lookups).isEmpty();
        assertThat(stored(m).status()).isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void unknownNeverReplacesALaterStatus() {
        Message m = submit("+14155552107");
        core.messageStore().recordStatus(m.id(), MessageStatus.SENT, null, clock.instant(), "twilio:sent");
        core.messageStore().outcomeUnknown(m.id(), "twilio", null, clock.instant(), "late timeout");
        assertThat(stored(m).status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void aCampaignsStatsCountTheMessagesWhoseOutcomeIsUnknownUntilSettled() {
        Instant now = clock.instant();
        Message m = new Message("msg_unknown_stats", Direction.OUTBOUND, "ct_1", "+14155552108", null, "Step one", Category.TRANSACTIONAL,
                MessageStatus.ACCEPTED, List.of(new Message.StatusChange(MessageStatus.ACCEPTED, now, null)), null, null, "GSM-7", 1, null,
                null, now, null, Origin.step("cmp_unknown", 1, "one", null, "enr_1"));
        core.messageStore().create(m);
        core.analytics().campaignExists(id -> true);

        core.messageStore().outcomeUnknown(m.id(), "twilio", null, now, "twilio did not answer in time");
        assertThat(core.analytics().campaignStats("cmp_unknown")).containsEntry("unknown", 1L);

        core.messageStore().recordStatus(m.id(), MessageStatus.DELIVERED, null, now.plusSeconds(30), "twilio:SM1:delivered");
        assertThat(core.analytics().campaignStats("cmp_unknown")).containsEntry("unknown", 0L).containsEntry("delivered", 1L);
        assertThat(core.reconciliation().campaign("cmp_unknown").matches()).isTrue();
    }
}
