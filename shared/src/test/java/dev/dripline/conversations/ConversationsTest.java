package dev.dripline.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.messaging.SendRequest;
import dev.dripline.messaging.Sender;
import dev.dripline.providers.OutboundSms;
import dev.dripline.providers.SendOutcome;
import dev.dripline.providers.SmsProvider;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class ConversationsTest {

    private static final String PHONE = "+14155550190";
    private static final String OURS = "+18335550100";
    private static final AtomicInteger IDS = new AtomicInteger();

    private Dripline core;
    private Engines engines;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<OutboundSms> handed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fresh(Engines engines) {
        this.engines = engines;
        core = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_BRAND", "Acme",
                "DRIPLINE_KEYWORDS", "[{\"keyword\":\"WANT100\",\"reply\":\"{brand}: you are in the draw\","
                        + "\"tags\":[\"contest\"],\"event\":\"contest_entry\"}]"),
                seams -> seams.contactEvents((contactId, name, at, key) -> events.add(contactId + ":" + name + ":" + key))).dripline;
    }

    private String text(String body) {
        return text("sim_" + IDS.incrementAndGet(), body);
    }

    private String text(String providerId, String body) {
        core.conversations().receive(new InboundSms("simulator", providerId, PHONE, OURS, body, Instant.now()));
        return "in_simulator_" + providerId;
    }

    private Contact contact() {
        return core.contacts().byPhone(PHONE).orElseThrow();
    }

    private List<Message> outbound() {
        return core.messageStore().conversation(contact().id(), 500, null).items().stream()
                .filter(m -> m.direction() == Direction.OUTBOUND).toList();
    }

    private Sender sender() {
        SmsProvider provider = new SmsProvider() {
            @Override
            public String name() {
                return "simulator";
            }

            @Override
            public SendOutcome send(OutboundSms sms) {
                handed.add(sms);
                return new SendOutcome.Accepted("p-" + handed.size(), 1, null);
            }
        };
        return core.sender(List.of(provider), core.settings().sender(), Clock.systemUTC());
    }

    private void optIn() {
        core.contacts().upsert(new ContactInput(PHONE, null, null, null, null, middayZone(), null, null,
                new ContactInput.ConsentInput("opted_in", "web_form", null, "Join Acme texts", null, null)), "test");
    }

    /** A zone where it is about noon now: marketing in these tests must not wait for quiet hours. */
    static String middayZone() {
        int offset = 12 - java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour();
        return offset == 0 ? "Etc/GMT" : offset > 0 ? "Etc/GMT-" + offset : "Etc/GMT+" + (-offset);
    }


    @Test
    void stopOptsOutInTheLedgerAndQueuesExactlyOneConfirmation() {
        optIn();
        String inbound = text("Stop!");

        assertThat(contact().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        ConsentEntry last = core.consentLedger().entries(contact().id()).get(1);
        assertThat(last.status()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(last.source()).isEqualTo("keyword");
        assertThat(last.proof()).isEqualTo("Stop!");
        assertThat(last.actor()).isEqualTo("simulator");
        assertThat(outbound()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("re_" + inbound);
            assertThat(m.body()).isEqualTo("Acme: You are unsubscribed and will receive no more messages. Reply START to resubscribe.");
            assertThat(m.to()).isEqualTo(PHONE);
            assertThat(m.from()).isEqualTo(OURS);
        });

        text("STOP");
        text("unsubscribe");
        text(inbound.substring("in_simulator_".length()), "Stop!");
        assertThat(outbound()).hasSize(1);
        assertThat(core.consentLedger().entries(contact().id())).hasSize(2);
    }

    @Test
    void theSenderLetsOnlyTheConfirmationThroughToANumberThatOptedOut() {
        optIn();
        Message marketing = core.messages().submit(new OneOffMessage(PHONE, null, "Sale today", "marketing", null, null), "t");
        Message transactional = core.messages().submit(new OneOffMessage(PHONE, null, "Your order shipped", "transactional", null, null), "t");
        String inbound = text("STOP");

        Sender sender = sender();
        sender.send(new SendRequest(marketing.id()));
        sender.send(new SendRequest(transactional.id()));
        sender.send(new SendRequest("re_" + inbound));

        assertThat(handed).extracting(OutboundSms::body)
                .containsExactly("Acme: You are unsubscribed and will receive no more messages. Reply START to resubscribe.");
        assertThat(core.messages().get(marketing.id()).orElseThrow().errorCode()).isEqualTo("opted_out");
        assertThat(core.messages().get(transactional.id()).orElseThrow().status()).isEqualTo(MessageStatus.FAILED);
    }

    @Test
    void chineseOptOutIsConfirmedInChinese() {
        text("退订");
        assertThat(contact().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(outbound()).singleElement().extracting(Message::body)
                .isEqualTo("Acme：您已退订，将不会再收到任何消息。回复START重新订阅。");
    }

    @Test
    void startAfterStopOptsBackInWithOneConfirmationAndSendsResume() {
        optIn();
        text("STOP");
        text("start");
        assertThat(contact().consent()).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(core.consentLedger().entries(contact().id())).extracting(ConsentEntry::status)
                .containsExactly(ConsentStatus.OPTED_IN, ConsentStatus.OPTED_OUT, ConsentStatus.OPTED_IN);
        assertThat(outbound()).hasSize(2);
        assertThat(outbound().get(1).body()).startsWith("Acme: You are subscribed again");
        Message later = core.messages().submit(new OneOffMessage(PHONE, null, "Welcome back", "marketing", null, null), "t");
        sender().send(new SendRequest(later.id()));
        assertThat(handed).extracting(OutboundSms::body).containsExactly("Acme: Welcome back Reply STOP to opt out");
    }

    @Test
    void yesFromAContactWhoIsNotOptedOutOrPendingIsAnOrdinaryReply() {
        optIn();
        text("YES");
        text("是");
        assertThat(outbound()).isEmpty();
        assertThat(core.consentLedger().entries(contact().id())).hasSize(1);
    }

    @Test
    void 是ConfirmsAPendingDoubleOptIn() {
        core.contacts().upsert(new ContactInput(PHONE, null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("pending", "web_form", null, "Reply 是 to confirm", null, null)), "test");
        text("是");
        assertThat(contact().consent()).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(core.consentLedger().entries(contact().id()).get(1).source()).isEqualTo("keyword");
    }

    @Test
    void helpAnswersWithTheHelpTextButNotToANumberThatOptedOut() {
        text("help");
        assertThat(outbound()).singleElement().extracting(Message::body)
                .isEqualTo("Acme: Reply STOP to unsubscribe. Msg&data rates may apply.");
        text("STOP");
        text("HELP");
        assertThat(outbound()).hasSize(2);
    }

    @Test
    void aTeamKeywordTagsTheContactEmitsItsEventAndReplies() {
        String inbound = text("want100");
        assertThat(contact().tags()).containsExactly("contest");
        assertThat(events).containsExactly(contact().id() + ":contest_entry:" + inbound);
        assertThat(outbound()).singleElement().extracting(Message::body).isEqualTo("Acme: you are in the draw");
        text(inbound.substring("in_simulator_".length()), "want100");
        assertThat(events).hasSize(1);
        assertThat(outbound()).hasSize(1);
    }

    @Test
    void twoStopsAtOnceConfirmOnce() throws Exception {
        optIn();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(pool.submit(() -> text("STOP")));
            }
            for (Future<String> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outbound()).hasSize(1);
        assertThat(core.consentLedger().entries(contact().id())).hasSize(2);
    }

    @Test
    void theConversationPagesOldestFirstWithACursor() {
        for (int i = 0; i < 5; i++) {
            text("message " + i);
        }
        var first = core.messageStore().conversation(contact().id(), 3, null);
        assertThat(first.items()).extracting(Message::body).containsExactly("message 0", "message 1", "message 2");
        assertThat(first.nextCursor()).isNotNull();
        var second = core.messageStore().conversation(contact().id(), 3, first.nextCursor());
        assertThat(second.items()).extracting(Message::body).containsExactly("message 3", "message 4");
    }
}
