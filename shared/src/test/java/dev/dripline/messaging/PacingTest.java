package dev.dripline.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.TestCore;
import dev.dripline.contacts.ContactInput;
import dev.dripline.json.Json;
import dev.dripline.messaging.SenderTest.ScriptedProvider;
import dev.dripline.providers.OutboundSms;
import dev.dripline.providers.SmsProvider;
import dev.dripline.queue.SqsQueue;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import java.lang.reflect.Proxy;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Throughput per sender number, sticky senders from pools, and quiet hours, as the sender applies them. */
@ExtendWith(EnginesExtension.class)
class PacingTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private Engines engines;
    private TestCore testCore;
    private Dripline core;
    private SqsQueue queue;
    private final List<TestCore.Scheduled> scheduled = new CopyOnWriteArrayList<>();

    @BeforeEach
    void freshTables(Engines engines) {
        this.engines = engines;
        testCore = new TestCore(engines, Clock.systemUTC());
        core = testCore.dripline;
        // What the sender puts back on the queue, as sent (delayed messages stay invisible for seconds).
        SqsClient recording = (SqsClient) Proxy.newProxyInstance(SqsClient.class.getClassLoader(), new Class<?>[] {SqsClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendMessage") && args[0] instanceof SendMessageRequest send) {
                        sent.add(Json.read(send.messageBody(), SendRequest.class));
                    }
                    try {
                        return method.invoke(engines.sqs(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        queue = new SqsQueue(recording, testCore.sendQueueUrl);
    }

    private final List<SendRequest> sent = new CopyOnWriteArrayList<>();

    private static SenderSettings policy(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return Settings.from(env).sender();
    }

    private Sender sender(SenderSettings policy, Clock clock, SmsProvider... providers) {
        StepScheduler scheduler = new StepScheduler() {
            @Override
            public void schedule(String name, Instant at, Due due) {
                scheduled.add(new TestCore.Scheduled(name, at, due));
            }

            @Override
            public void cancel(String name) {
            }
        };
        return new Sender(core.messageStore(), core.contacts(), () -> queue, List.of(providers), policy, core.settings().publicUrl(),
                clock, core.senderState(), () -> scheduler);
    }

    private dev.dripline.messaging.Message transactional(String to, String body) {
        return core.messages().submit(new OneOffMessage(to, null, body, "transactional", null, null), "test");
    }

    private dev.dripline.messaging.Message marketing(String to, String body) {
        core.contacts().upsert(new ContactInput(to, null, null, null, null, "America/New_York", null, null,
                new ContactInput.ConsentInput("opted_in", "web_form", null, "Texts about sales", null, null)), "test");
        return core.messages().submit(new OneOffMessage(to, null, body, "marketing", null, null), "test");
    }

    /** What the sender re-enqueued so far. */
    private List<SendRequest> requeued() {
        return List.copyOf(sent);
    }

    // --- throughput -----------------------------------------------------------------------------

    @Test
    void aOneSegmentPerSecondNumberSendsOneNowAndQueuesTheRestOneSecondApartKeepingTheirAttempts() {
        TestClock clock = new TestClock(Instant.now());
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender sender = sender(policy("DRIPLINE_SENDERS", "twilio:+14155550100=long_code"), clock, twilio);
        List<dev.dripline.messaging.Message> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(transactional("+1415555020" + i, "Your code is 12345" + i));
        }
        List<Sender.Result> results = batch.stream().map(m -> sender.send(new SendRequest(m.id(), 2))).toList();

        assertThat(results.get(0)).isInstanceOf(Sender.Result.Done.class);
        assertThat(results.subList(1, 5)).allSatisfy(r -> assertThat(r).isInstanceOf(Sender.Result.Requeued.class));
        assertThat(results.subList(1, 5)).extracting(r -> ((Sender.Result.Requeued) r).delay())
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4));
        assertThat(results.subList(1, 5)).extracting(r -> ((Sender.Result.Requeued) r).attempt()).containsOnly(2);
        assertThat(twilio.calls).hasSize(1);

        List<SendRequest> waiting = requeued();
        assertThat(waiting).hasSize(4).allSatisfy(r -> {
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.provider()).isEqualTo("twilio");
            assertThat(r.from()).isEqualTo("+14155550100");
        });

        // When each comes back at its slot it goes without a second reservation.
        clock.advance(Duration.ofSeconds(4));
        waiting.forEach(sender::send);
        assertThat(twilio.calls).hasSize(5).extracting(OutboundSms::from).containsOnly("+14155550100");
        var later = transactional("+14155550209", "Your code is 999999");
        assertThat(((Sender.Result.Requeued) sender.send(new SendRequest(later.id()))).delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void waitingForThroughputNeverExhaustsTheAttempts() {
        TestClock clock = new TestClock(Instant.now());
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender sender = sender(policy("DRIPLINE_SENDERS", "twilio:+14155550100=long_code@1", "DRIPLINE_SEND_MAX_ATTEMPTS", "2"),
                clock, twilio);
        sender.send(new SendRequest(transactional("+14155550210", "first").id(), 1));
        var second = transactional("+14155550211", "second");
        Sender.Result result = sender.send(new SendRequest(second.id(), 1));
        assertThat(result).isInstanceOf(Sender.Result.Requeued.class);
        assertThat(((Sender.Result.Requeued) result).attempt()).isEqualTo(1);
        assertThat(core.messages().get(second.id()).orElseThrow().status()).isEqualTo(MessageStatus.ACCEPTED);
        assertThat(core.messageStore().dispatchable(second.id()).orElseThrow().dispatch()).isNull();
    }

    @Test
    void twoInvocationsShareOneBucketAndSegmentsCountAgainstIt() {
        TestClock clock = new TestClock(Instant.now());
        ScriptedProvider twilioA = new ScriptedProvider("twilio");
        ScriptedProvider twilioB = new ScriptedProvider("twilio");
        SenderSettings policy = policy("DRIPLINE_SENDERS", "twilio:+18885550100=toll_free@2");
        Sender a = sender(policy, clock, twilioA);
        Sender b = sender(policy, clock, twilioB);
        // 161 GSM-7 characters: two segments, a whole second of a 2 segments/s number.
        var twoParts = transactional("+14155550212", "x".repeat(161));
        assertThat(twoParts.segments()).isEqualTo(2);
        assertThat(a.send(new SendRequest(twoParts.id()))).isInstanceOf(Sender.Result.Done.class);
        Sender.Result fromB = b.send(new SendRequest(transactional("+14155550213", "one part").id()));
        assertThat(fromB).isInstanceOf(Sender.Result.Requeued.class);
        assertThat(((Sender.Result.Requeued) fromB).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(twilioB.calls).isEmpty();
    }

    @Test
    void anAccountCapHoldsAcrossItsNumbers() {
        TestClock clock = new TestClock(Instant.now());
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender sender = sender(policy("DRIPLINE_SENDERS", "twilio:+14155550100=long_code@100;twilio:+14155550101=long_code@100",
                "DRIPLINE_ACCOUNT_RATES", "twilio=1"), clock, twilio);
        assertThat(sender.send(new SendRequest(transactional("+14155550214", "a").id()))).isInstanceOf(Sender.Result.Done.class);
        assertThat(sender.send(new SendRequest(transactional("+14155550215", "b").id()))).isInstanceOf(Sender.Result.Requeued.class);
    }

    @Test
    void aProviderWithoutConfiguredNumbersIsNotPaced() {
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender sender = sender(policy(), Clock.systemUTC(), twilio);
        for (int i = 0; i < 5; i++) {
            assertThat(sender.send(new SendRequest(transactional("+1415555022" + i, "hi").id()))).isInstanceOf(Sender.Result.Done.class);
        }
        assertThat(twilio.calls).hasSize(5).extracting(OutboundSms::from).containsOnlyNulls();
    }

    // --- pools and sticky senders ----------------------------------------------------------------

    @Test
    void aContactKeepsHearingFromTheSameNumberOfThePool() {
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        String pool = "twilio:+14155550100=long_code@0;twilio:+14155550101=long_code@0;twilio:+14155550102=long_code@0";
        Sender sender = sender(policy("DRIPLINE_SENDERS", pool), Clock.systemUTC(), twilio);
        for (int i = 0; i < 3; i++) {
            sender.send(new SendRequest(transactional("+14155550230", "message " + i).id()));
        }
        assertThat(twilio.calls).extracting(OutboundSms::from).hasSize(3).containsOnly(twilio.calls.get(0).from());

        Set<String> used = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            sender.send(new SendRequest(transactional("+141555502" + (40 + i), "hello").id()));
        }
        twilio.calls.forEach(c -> used.add(c.from()));
        assertThat(used).hasSizeGreaterThan(1);

        // Its number leaves the pool: another is chosen and kept from then on.
        String first = twilio.calls.get(0).from();
        String rest = String.join(";", java.util.Arrays.stream(pool.split(";")).filter(e -> !e.contains(first)).toList());
        ScriptedProvider after = new ScriptedProvider("twilio");
        Sender changed = sender(policy("DRIPLINE_SENDERS", rest), Clock.systemUTC(), after);
        changed.send(new SendRequest(transactional("+14155550230", "again").id()));
        changed.send(new SendRequest(transactional("+14155550230", "and again").id()));
        assertThat(after.calls).extracting(OutboundSms::from).doesNotContain(first).containsOnly(after.calls.get(0).from());
    }

    @Test
    void anAlphanumericSenderIsNeverUsedForTheUs() {
        ScriptedProvider vonage = new ScriptedProvider("vonage");
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender sender = sender(policy("DRIPLINE_SENDERS", "vonage:Acme=alphanumeric;twilio:+14155550100=long_code@0"),
                Clock.systemUTC(), vonage, twilio);
        var us = transactional("+14155550260", "hi");
        var uk = transactional("+447400123460", "hi");
        sender.send(new SendRequest(us.id()));
        sender.send(new SendRequest(uk.id()));
        assertThat(vonage.calls).singleElement().satisfies(c -> {
            assertThat(c.messageId()).isEqualTo(uk.id());
            assertThat(c.from()).isEqualTo("Acme");
        });
        assertThat(twilio.calls).singleElement().satisfies(c -> assertThat(c.messageId()).isEqualTo(us.id()));
    }

    // --- quiet hours ----------------------------------------------------------------------------

    private static Instant nextLocal(LocalTime time) {
        ZonedDateTime now = ZonedDateTime.now(NEW_YORK);
        ZonedDateTime at = now.with(time);
        return (at.isAfter(now) ? at : at.plusDays(1)).toInstant();
    }

    @Test
    void marketingDueAtNightIsScheduledForEightInTheMorningAndNeverDropped() {
        var m = marketing("+14155550270", "Sale starts now");
        TestClock clock = new TestClock(nextLocal(LocalTime.of(23, 0)));
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender.Result result = sender(policy(), clock, twilio).send(new SendRequest(m.id()));
        assertThat(result).isInstanceOf(Sender.Result.Done.class);
        assertThat(twilio.calls).isEmpty();
        assertThat(scheduled).singleElement().satisfies(s -> {
            assertThat(s.at().atZone(NEW_YORK).toLocalTime()).isEqualTo(LocalTime.of(8, 0));
            assertThat(s.due()).isEqualTo(new Due.ScheduledSend(m.id()));
        });
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.ACCEPTED);
    }

    @Test
    void marketingShortlyBeforeTheWindowWaitsOnTheQueueAndTransactionalIsNeverHeld() {
        var m = marketing("+14155550271", "Sale starts now");
        var code = transactional("+14155550271", "Your code is 123456");
        TestClock clock = new TestClock(nextLocal(LocalTime.of(7, 50)));
        ScriptedProvider twilio = new ScriptedProvider("twilio");
        Sender sender = sender(policy(), clock, twilio);
        assertThat(sender.send(new SendRequest(m.id(), 3))).isEqualTo(
                new Sender.Result.Requeued("quiet hours until " + clock.instant().plus(Duration.ofMinutes(10)), Duration.ofMinutes(10), 3));
        assertThat(sender.send(new SendRequest(code.id()))).isInstanceOf(Sender.Result.Done.class);
        assertThat(twilio.calls).extracting(OutboundSms::messageId).containsExactly(code.id());

        clock.advance(Duration.ofMinutes(10));
        sender.send(new SendRequest(m.id(), 3));
        assertThat(twilio.calls).extracting(OutboundSms::messageId).containsExactly(code.id(), m.id());
    }

    // --- rendering, links and retention ---------------------------------------------------------

    @Test
    void marketingCarriesTheBrandTheOptOutAndPerRecipientShortLinks() {
        var m = marketing("+14155550280", "Big sale today at https://shop.example/sale?x=1.");
        String body = core.messages().get(m.id()).orElseThrow().body();
        assertThat(body).startsWith("Dripline Demo: Big sale today at " + core.settings().publicUrl() + "/r/")
                .endsWith(". Reply STOP to opt out").doesNotContain("shop.example");
        String code = body.replaceAll("(?s).*/r/([0-9A-Za-z]+).*", "$1");
        assertThat(code).hasSizeGreaterThanOrEqualTo(7);
        var link = core.shortLinks().get(code).orElseThrow();
        assertThat(link.target()).isEqualTo("https://shop.example/sale?x=1");
        assertThat(link.messageId()).isEqualTo(m.id());
        assertThat(link.contactId()).isEqualTo(m.contactId());
        assertThat(core.shortLinks().click(code)).contains("https://shop.example/sale?x=1");
        assertThat(core.shortLinks().click(code)).isPresent();
        assertThat(core.shortLinks().get(code).orElseThrow().clicks()).isEqualTo(2);
        assertThat(core.shortLinks().click("nosuchcode")).isEmpty();
        // Segments are counted on what is sent.
        assertThat(m.segments()).isEqualTo(dev.dripline.messaging.encoding.Segments.prepare(body, false).count().segments());

        var branded = marketing("+14155550281", "Dripline Demo: 20% off. Reply STOP to opt out");
        assertThat(core.messages().get(branded.id()).orElseThrow().body()).isEqualTo("Dripline Demo: 20% off. Reply STOP to opt out");
        var chinese = marketing("+14155550282", "今天全场八折");
        assertThat(core.messages().get(chinese.id()).orElseThrow().body()).isEqualTo("Dripline Demo: 今天全场八折 回T退订");
        var code2 = transactional("+14155550283", "Your code is 123456");
        assertThat(core.messages().get(code2.id()).orElseThrow().body()).isEqualTo("Your code is 123456");
    }

    @Test
    void messageItemsExpireAfterTheBodyRetention() {
        var m = transactional("+14155550290", "Your code is 123456");
        assertThat(core.messageStore().expiresAt(m.id())).contains(m.createdAt().plus(Duration.ofDays(90)).getEpochSecond());
        TestCore week = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_BODY_RETENTION", "P7D"));
        var short_ = week.dripline.messages().submit(new OneOffMessage("+14155550291", null, "hi", "transactional", null, null), "t");
        assertThat(week.dripline.messageStore().expiresAt(short_.id())).contains(short_.createdAt().plus(Duration.ofDays(7)).getEpochSecond());
    }
}
