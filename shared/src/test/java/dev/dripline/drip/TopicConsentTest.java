package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentExport;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.ProblemType;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.OneOffMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consent per topic, and what a STOP revokes: with DRIPLINE_REVOCATION_SCOPE=topic, a STOP to a
 * number of the {@code reminders} program withdraws {@code reminders} only, while the FCC's
 * revoke-all rule is not in force (until 2027-01-31); from that date, and always for STOP ALL or
 * with the default scope {@code all}, a STOP revokes everything. The ledger names the topic,
 * the scope and the rule.
 */
@ExtendWith(EnginesExtension.class)
class TopicConsentTest {

    /** The number DripHarness's handsets write to: the reminders program's. */
    static final String REMINDERS_NUMBER = "+18335550100";
    static final Map<String, String> TOPIC_SCOPE = Map.of("DRIPLINE_REVOCATION_SCOPE", "topic",
            "DRIPLINE_NUMBER_TOPICS", REMINDERS_NUMBER + "=reminders", "DRIPLINE_FREQUENCY_CAP", "50");
    static final Instant BEFORE_REVOKE_ALL = Instant.parse("2026-12-03T15:00:00Z");
    static final Instant AFTER_REVOKE_ALL = Instant.parse("2027-02-01T15:00:00Z");

    static OneOffMessage message(String to, String category, String topic) {
        return new OneOffMessage(to, null, "Hello", category, null, null, null, topic, null);
    }

    static List<ConsentEntry> ledger(DripHarness h, String contactId) {
        return h.core.consentLedger().entries(contactId);
    }

    /** The handset's keyword, a minute after whatever came before (ledger entries are ordered by time). */
    static void text(DripHarness h, Contact c, String body) {
        h.advance(java.time.Duration.ofMinutes(1));
        h.reply(c, body);
    }

    static List<String> repliesTo(DripHarness h, String contactId) {
        return h.core.messageStore().allOf(contactId).stream().filter(m -> m.direction() == Direction.OUTBOUND && m.origin() == null)
                .map(Message::body).toList();
    }

    @Test
    void aWithdrawnTopicRefusesItsMessagesAndLeavesTheOthers(Engines engines) {
        DripHarness h = new DripHarness(engines, BEFORE_REVOKE_ALL);
        Contact ann = h.contact("+14155550201", "Ann");
        h.advance(java.time.Duration.ofMinutes(1));
        h.core.contacts().changeConsent(ann.id(), "reminders", ConsentStatus.OPTED_OUT, "api", "preference centre", "test", null,
                s -> true, null, tx -> { });

        Contact stored = h.core.contacts().get(ann.id()).orElseThrow();
        assertThat(stored.consent()).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(stored.topics()).containsEntry("reminders", ConsentStatus.OPTED_OUT);
        assertThatThrownBy(() -> h.core.messages().submit(message(ann.phone(), "transactional", "reminders"), "test"))
                .isInstanceOfSatisfying(Conflict.class, c -> assertThat(c.problemType()).isEqualTo(ProblemType.TOPIC_WITHDRAWN))
                .hasMessageContaining("reminders");
        assertThat(h.core.messages().submit(message(ann.phone(), "transactional", null), "test").topic()).isEqualTo("alerts");
        assertThat(h.core.messages().submit(message(ann.phone(), "marketing", null), "test").topic()).isEqualTo("marketing");

        ConsentEntry entry = ledger(h, ann.id()).get(ledger(h, ann.id()).size() - 1);
        assertThat(entry.topic()).isEqualTo("reminders");
        assertThat(entry.status()).isEqualTo(ConsentStatus.OPTED_OUT);
        String csv = ConsentExport.render(List.of(entry), "csv");
        assertThat(csv.split("\r\n")[1]).endsWith(",reminders,,");
    }

    @Test
    void anUnknownTopicIsRefusedNamingTheKnownOnes(Engines engines) {
        DripHarness h = new DripHarness(engines, BEFORE_REVOKE_ALL);
        Contact bo = h.contact("+14155550202", "Bo");
        assertThatThrownBy(() -> h.core.messages().submit(message(bo.phone(), "marketing", "weather"), "test"))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("topic").hasMessageContaining("marketing, reminders, alerts");
    }

    @Test
    void beforeTheRevokeAllDateAStopToTheRemindersNumberWithdrawsRemindersOnlyAndStartGivesItBack(Engines engines) {
        DripHarness h = new DripHarness(engines, BEFORE_REVOKE_ALL, TOPIC_SCOPE);
        Contact cy = h.contact("+14155550203", "Cy");
        text(h, cy, "STOP");

        Contact after = h.core.contacts().get(cy.id()).orElseThrow();
        assertThat(after.consent()).as("still opted in as a whole").isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(after.consentFor("reminders")).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(after.consentFor("marketing")).isEqualTo(ConsentStatus.OPTED_IN);
        ConsentEntry stop = ledger(h, cy.id()).get(ledger(h, cy.id()).size() - 1);
        assertThat(stop.topic()).isEqualTo("reminders");
        assertThat(stop.scope()).isEqualTo("topic");
        assertThat(stop.rule()).isEqualTo("us-fcc-revocation-topic");
        assertThat(repliesTo(h, cy.id())).anySatisfy(b -> assertThat(b).contains("unsubscribed from reminders").contains("STOP ALL"));
        assertThatThrownBy(() -> h.core.messages().submit(message(cy.phone(), "transactional", "reminders"), "test"))
                .isInstanceOf(Conflict.class);
        assertThat(h.core.messages().submit(message(cy.phone(), "marketing", null), "test").topic()).isEqualTo("marketing");

        text(h, cy, "START");
        assertThat(h.core.contacts().get(cy.id()).orElseThrow().consentFor("reminders")).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(ledger(h, cy.id()).get(ledger(h, cy.id()).size() - 1).topic()).isEqualTo("reminders");

        // STOP ALL always revokes everything, whatever the scope.
        text(h, cy, "STOP ALL");
        Contact all = h.core.contacts().get(cy.id()).orElseThrow();
        assertThat(all.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(all.consentFor("marketing")).isEqualTo(ConsentStatus.OPTED_OUT);
        ConsentEntry stopAll = ledger(h, cy.id()).get(ledger(h, cy.id()).size() - 1);
        assertThat(stopAll.topic()).isNull();
        assertThat(stopAll.scope()).isEqualTo("all");
        assertThat(stopAll.rule()).contains("STOP ALL");
    }

    @Test
    void fromTheRevokeAllDateTheSameStopRevokesEverything(Engines engines) {
        DripHarness h = new DripHarness(engines, AFTER_REVOKE_ALL, TOPIC_SCOPE);
        Contact di = h.contact("+14155550204", "Di");
        text(h, di, "STOP");
        assertThat(h.core.contacts().get(di.id()).orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        ConsentEntry stop = ledger(h, di.id()).get(ledger(h, di.id()).size() - 1);
        assertThat(stop.scope()).isEqualTo("all");
        assertThat(stop.rule()).isEqualTo("us-fcc-revocation-all");
    }

    @Test
    void byDefaultAStopRevokesEverythingAndTheLedgerSaysWhy(Engines engines) {
        DripHarness h = new DripHarness(engines, BEFORE_REVOKE_ALL, Map.of("DRIPLINE_NUMBER_TOPICS", REMINDERS_NUMBER + "=reminders"));
        Contact ed = h.contact("+14155550205", "Ed");
        text(h, ed, "STOP");
        assertThat(h.core.contacts().get(ed.id()).orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        ConsentEntry stop = ledger(h, ed.id()).get(ledger(h, ed.id()).size() - 1);
        assertThat(stop.scope()).isEqualTo("all");
        assertThat(stop.rule()).isEqualTo("DRIPLINE_REVOCATION_SCOPE=all");
    }

    @Test
    void aTopicStopEndsThatTopicsCampaignAndBroadcastButNotTheOthers(Engines engines) {
        DripHarness h = new DripHarness(engines, BEFORE_REVOKE_ALL, TOPIC_SCOPE);
        Contact flo = h.contact("+14155550206", "Flo");
        h.core.contacts().patch(flo.id(), ContactPatch.parse(Map.of("tags", List.of("t1"))), "test");
        String reminders = h.campaign("""
                {"name": "Reminders", "category": "transactional", "topic": "reminders", "trigger": {"event": "go"},
                 "steps": [{"id": "a", "send": {"body": "R1"}}, {"id": "b", "wait": "PT1H", "send": {"body": "R2"}}]}""");
        String offers = h.campaign("""
                {"name": "Offers", "trigger": {"event": "go"},
                 "steps": [{"id": "a", "send": {"body": "O1"}}, {"id": "b", "wait": "PT1H", "send": {"body": "O2"}}]}""");
        h.event(flo.id(), "go", Map.of());
        text(h, flo, "STOP");
        h.advance(java.time.Duration.ofHours(2));

        assertThat(h.enrolment(flo.id(), reminders).endReason()).isEqualTo("topic_withdrawn:reminders");
        assertThat(h.enrolment(flo.id(), offers).history()).extracting(Enrolment.StepRecord::outcome)
                .anySatisfy(o -> assertThat(o).startsWith("sent"));
        assertThat(h.sent(flo.id())).extracting(m -> m.body().replace("Dripline Demo: ", "").replace(" Reply STOP to opt out", ""))
                .contains("R1", "O1", "O2").doesNotContain("R2");

        Broadcasts.Broadcast remind = h.core.broadcasts().create(new Broadcasts.BroadcastInput("Remind", Map.of("tags", List.of("t1")),
                "Your appointment", "transactional", null, null, null, "reminders"));
        Broadcasts.Broadcast offer = h.core.broadcasts().create(new Broadcasts.BroadcastInput("Offer", Map.of("tags", List.of("t1")),
                "Sale", "marketing", null, null, null, null));
        h.pump();
        assertThat(h.core.broadcasts().get(remind.id()).counts()).containsEntry("skippedOptedOut", 1L);
        assertThat(h.core.broadcasts().get(remind.id()).topic()).isEqualTo("reminders");
        assertThat(h.core.broadcasts().get(offer.id()).counts()).containsEntry("queued", 1L);
    }
}
