package dev.dripline.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.conversations.InboundSms;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.Origin;
import dev.dripline.messaging.SendRequest;
import dev.dripline.messaging.Sender;
import dev.dripline.providers.OutboundSms;
import dev.dripline.providers.SendOutcome;
import dev.dripline.providers.SmsProvider;
import dev.dripline.receipts.DeliveryReceipt;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Counters on the real in-process engines: counted as things happen, once each, and equal to a recount of the messages. */
@ExtendWith(EnginesExtension.class)
class CountersTest {

    private static final String CAMPAIGN = "cmp_cart";
    private static final BigDecimal PRICE = new BigDecimal("0.0079");

    /** Answers per recipient: refuses some for good, throttles some once, takes the rest (2 parts, a price). */
    static final class Carrier implements SmsProvider {
        final Map<String, Integer> calls = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "twilio";
        }

        @Override
        public SendOutcome send(OutboundSms sms) {
            int n = calls.merge(sms.to(), 1, Integer::sum);
            if (sms.to().endsWith("9")) {
                return new SendOutcome.Permanent("21211", "invalid number", false);
            }
            if (sms.to().endsWith("8") && n == 1) {
                return new SendOutcome.Retryable("HTTP 429", Optional.empty());
            }
            return new SendOutcome.Accepted("SM" + sms.messageId(), 2, PRICE);
        }
    }

    private Dripline core;
    private Sender sender;
    private final Carrier carrier = new Carrier();

    @BeforeEach
    void fresh(Engines engines) {
        TestCore test = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_COUNTER_SHARDS", "4"));
        core = test.dripline;
        // The counters are fed directly here, for campaigns that were never created.
        core.analytics().campaignExists(id -> true);
        sender = core.sender(List.of(carrier), core.settings().sender(), Clock.systemUTC());
    }

    private Contact contact(String phone) {
        return core.contacts().upsert(new ContactInput(phone, null, null, null, null, null, null, null, null), "test").contact();
    }

    private Message campaignMessage(Contact to, String step, String variant) {
        Instant now = Instant.now();
        Message m = new Message("msg_" + Long.toHexString(System.nanoTime()), Direction.OUTBOUND, to.id(), to.phone(), null,
                "Your cart is waiting", Category.TRANSACTIONAL, MessageStatus.ACCEPTED,
                List.of(new Message.StatusChange(MessageStatus.ACCEPTED, now, null)), null, null, "GSM-7", 1, null, null, now, null,
                Origin.step(CAMPAIGN, 1, step, variant, "enr_" + to.id()));
        core.messageStore().create(m);
        return m;
    }

    private void receipt(Message m, MessageStatus status, String key) {
        core.receipts().apply(new DeliveryReceipt("twilio", m.id(), "SM" + m.id(), status, null, Instant.now(), key));
    }

    @Test
    void countersMatchTheMessagesAfterFailuresRetriesAndDuplicates() {
        List<Message> delivered = new ArrayList<>();
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // ...0 to ...7 are taken, ...8 is throttled once then taken, ...9 is refused
            Contact c = contact("+1415555" + String.format("%04d", 1200 + i));
            Message m = campaignMessage(c, i % 2 == 0 ? "remind" : "ask", i % 3 == 0 ? "B" : "A");
            all.add(m);
            core.tally().add(m.origin(), "enrolled", 1);
            sender.send(new SendRequest(m.id()));
            // The queue redelivers the request: no second provider call, no second count.
            sender.send(new SendRequest(m.id()));
            if (c.phone().endsWith("8")) {
                sender.send(new SendRequest(m.id(), 1));
            }
        }
        for (Message m : all) {
            if (m.to().endsWith("9")) {
                continue;
            }
            if (m.to().endsWith("3")) {
                receipt(m, MessageStatus.UNDELIVERED, "r-undelivered");
                // A later, contradicting final word does not move it or count.
                receipt(m, MessageStatus.DELIVERED, "r-delivered");
                continue;
            }
            // Out of order: delivered before sent; and the same delivered receipt twice.
            receipt(m, MessageStatus.DELIVERED, "r-delivered");
            receipt(m, MessageStatus.SENT, "r-sent");
            receipt(m, MessageStatus.DELIVERED, "r-delivered");
            delivered.add(m);
        }
        // Clicks: twice on one message's link, once on another's.
        String first = core.shortLinks().shorten("https://shop.example/cart", delivered.get(0).id(), delivered.get(0).contactId());
        String second = core.shortLinks().shorten("https://shop.example/cart", delivered.get(1).id(), delivered.get(1).contactId());
        core.shortLinks().click(code(first));
        core.shortLinks().click(code(first));
        core.shortLinks().click(code(second));
        // A reply (twice to the same message: one replied) and a STOP from another contact.
        core.conversations().receive(new InboundSms("twilio", "SMin1", delivered.get(2).to(), "+18335550100", "Yes please", Instant.now()));
        core.conversations().receive(new InboundSms("twilio", "SMin2", delivered.get(2).to(), "+18335550100", "And another", Instant.now()));
        core.conversations().receive(new InboundSms("twilio", "SMin3", delivered.get(3).to(), "+18335550100", "STOP", Instant.now()));
        core.conversations().receive(new InboundSms("twilio", "SMin3", delivered.get(3).to(), "+18335550100", "STOP", Instant.now()));
        core.tally().add(delivered.get(0).origin(), "converted", 1);
        core.tally().add(delivered.get(0).origin(), "skipped.optedOut", 1);

        Map<String, Object> stats = core.analytics().campaignStats(CAMPAIGN);
        // 12 messages: 1 refused (…1209), 11 taken (…1208 after a retry), 1 undelivered (…1203).
        assertThat(stats).containsEntry("enrolled", 12L).containsEntry("sent", 11L).containsEntry("segments", 22L)
                .containsEntry("delivered", 10L).containsEntry("undelivered", 1L).containsEntry("failed", 1L)
                .containsEntry("clicked", 3L).containsEntry("uniqueClicks", 2L).containsEntry("replied", 1L)
                .containsEntry("optedOut", 1L).containsEntry("converted", 1L)
                .containsEntry("skipped", Map.of("optedOut", 1L));
        assertThat((BigDecimal) stats.get("cost")).isEqualByComparingTo(PRICE.multiply(BigDecimal.valueOf(11)));
        assertThat(carrier.calls.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(13);
        Analytics.Rate delivery = (Analytics.Rate) ((Map<?, ?>) stats.get("rates")).get("delivery");
        assertThat(delivery.numerator()).isEqualTo(10);
        assertThat(delivery.denominator()).isEqualTo(11);
        assertThat(delivery.value()).isCloseTo(10 / 11.0, within(1e-6));

        Reconciliation.Report report = core.reconciliation().campaign(CAMPAIGN);
        assertThat(report.differences()).isEmpty();
        assertThat(report.recounted()).containsEntry("t|sent", BigDecimal.valueOf(11)).containsEntry("t|delivered", BigDecimal.valueOf(10));

        // The day's bucket counts the same, for the campaign and overall.
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Counters.Counts day = core.counters().days(today, today).get(today);
        assertThat(day.total("sent")).isEqualTo(11);
        assertThat(day.total("delivered")).isEqualTo(10);
        assertThat(day.total("optedOut")).isEqualTo(1);
        assertThat(day.of("c", CAMPAIGN)).containsEntry("sent", BigDecimal.valueOf(11));
    }

    @Test
    void aCounterThatWasLostShowsInTheReconciliation() {
        Contact c = contact("+14155551300");
        Message m = campaignMessage(c, "remind", "A");
        sender.send(new SendRequest(m.id()));
        // A counter write lost (e.g. the counters table throttled): the recount tells.
        core.counters().count(m.origin(), Map.of("sent", BigDecimal.valueOf(-1)), null);

        Reconciliation.Report report = core.reconciliation().campaign(CAMPAIGN);
        assertThat(report.matches()).isFalse();
        assertThat(report.differences()).contains(new Reconciliation.Difference("t", "sent", BigDecimal.ZERO, BigDecimal.ONE));
    }

    @Test
    void stepsAndVariantsAreCountedApartAndTheABTestNamesItsMetric() {
        for (int i = 0; i < 4; i++) {
            Contact c = contact("+1415555" + (1400 + i));
            Message m = campaignMessage(c, "remind", i < 2 ? "A" : "B");
            sender.send(new SendRequest(m.id()));
            receipt(m, MessageStatus.DELIVERED, "d");
        }
        Map<String, Object> stats = core.analytics().campaignStats(CAMPAIGN);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) stats.get("steps");
        assertThat(steps).singleElement().satisfies(s -> assertThat(s)
                .containsEntry("id", "remind").containsEntry("sent", 4L).containsEntry("delivered", 4L));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> variants = (List<Map<String, Object>>) stats.get("variants");
        assertThat(variants).hasSize(2).allSatisfy(v -> assertThat(v).containsEntry("sent", 2L).containsKey("confidence"));
        @SuppressWarnings("unchecked")
        Map<String, Object> abTest = (Map<String, Object>) stats.get("abTest");
        assertThat(abTest).containsEntry("metric", "clickThrough").containsEntry("significant", false).containsEntry("winner", null);
    }

    @Test
    void theCoreAnswers404ForACampaignThatWasNeverCreated(Engines engines) {
        Dripline real = new TestCore(engines, Clock.systemUTC()).dripline;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> real.analytics().campaignStats("cmp_never"))
                .isInstanceOf(dev.dripline.errors.NotFound.class);
    }

    @Test
    void anUnknownCampaignAnswersZerosUnlessTheCampaignsSayItDoesNotExist() {
        assertThat(core.analytics().campaignStats("cmp_none")).containsEntry("sent", 0L).containsEntry("steps", List.of());
        core.analytics().campaignExists(id -> !id.equals("cmp_none"));
        assertThat(core.analytics().campaignStats("cmp_cart")).containsEntry("sent", 0L);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> core.analytics().campaignStats("cmp_none"))
                .isInstanceOf(dev.dripline.errors.NotFound.class);
    }

    @Test
    void broadcastCountsAreReadFromTheirOwnCounters() {
        Contact c = contact("+14155551500");
        Instant now = Instant.now();
        Message m = new Message("msg_b" + System.nanoTime(), Direction.OUTBOUND, c.id(), c.phone(), null, "Sale today",
                Category.TRANSACTIONAL, MessageStatus.ACCEPTED, List.of(new Message.StatusChange(MessageStatus.ACCEPTED, now, null)),
                null, null, "GSM-7", 1, null, null, now, null, Origin.broadcast("brd_1"));
        core.messageStore().create(m);
        core.tally().add(m.origin(), "queued", 1);
        core.tally().add(m.origin(), "skipped.optedOut", 2);
        sender.send(new SendRequest(m.id()));
        receipt(m, MessageStatus.DELIVERED, "d");

        Analytics.BroadcastCounts counts = core.analytics().broadcastCounts("brd_1");
        assertThat(counts.queued()).isEqualTo(1);
        assertThat(counts.sent()).isEqualTo(1);
        assertThat(counts.delivered()).isEqualTo(1);
        assertThat(counts.skipped()).containsEntry("optedOut", 2L);
        assertThat(core.reconciliation().broadcast("brd_1").matches()).isTrue();
    }

    @Test
    void inboundMessagesCountInTheirDayAndThoseWithMediaAlsoAsReceivedMms() {
        Instant now = Instant.now();
        List<dev.dripline.conversations.InboundMedia> picture = List.of(
                new dev.dripline.conversations.InboundMedia("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "image/jpeg", null));
        core.conversations().receive(new InboundSms("twilio", "SMrx1", "+14155551601", "+18335550100", "Hello", now));
        core.conversations().receive(new InboundSms("twilio", "MMrx2", "+14155551602", "+18335550100", "Our porch", now, picture));
        // The provider retries the MMS: stored once, counted once.
        core.conversations().receive(new InboundSms("twilio", "MMrx2", "+14155551602", "+18335550100", "Our porch", now, picture));
        // A media-only message, and a keyword: messages all the same.
        core.conversations().receive(new InboundSms("twilio", "MMrx3", "+14155551603", "+18335550100", "", now, picture));
        core.conversations().receive(new InboundSms("twilio", "SMrx4", "+14155551604", "+18335550100", "STOP", now));

        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Counters.Counts day = core.counters().days(today, today).get(today);
        assertThat(day.total("received")).isEqualTo(4);
        assertThat(day.total("receivedMms")).isEqualTo(2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> days = (List<Map<String, Object>>) core.analytics().overview(1).get("days");
        assertThat(days.get(0)).containsEntry("received", 4L).containsEntry("receivedMms", 2L);
    }

    private static String code(String shortUrl) {
        return shortUrl.substring(shortUrl.lastIndexOf('/') + 1);
    }
}
