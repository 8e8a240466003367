package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.messaging.Message;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The jurisdictions' caps of the rules table (Florida: 3 marketing messages per rolling 24
 * hours from one sender), counted with the daily cap across campaigns and broadcasts. The
 * daily cap is set high here so that only the rule holds.
 */
@ExtendWith(EnginesExtension.class)
class JurisdictionCapTest {

    static final ZoneId NY = ZoneId.of("America/New_York");
    static final Map<String, String> HIGH_DAILY_CAP = Map.of("DRIPLINE_FREQUENCY_CAP", "50");
    static final String FOUR_STEPS = """
            {"name": "Four", "trigger": {"event": "go"}, "frequencyCap": "defer",
             "steps": [{"id": "a", "send": {"body": "A"}}, {"id": "b", "wait": "PT1H", "send": {"body": "B"}},
                       {"id": "c", "wait": "PT1H", "send": {"body": "C"}}, {"id": "d", "wait": "PT1H", "send": {"body": "D"}}]}""";

    /** The body as written in the campaign, without the brand prefix and the opt-out line. */
    static String text(Message m) {
        return m.body().replace("Dripline Demo: ", "").replace(" Reply STOP to opt out", "");
    }

    static Instant ny(String local) {
        return LocalDateTime.parse(local).atZone(NY).toInstant();
    }

    @Test
    void aFloridaNumbersFourthMarketingMessageIn24HoursIsDeferredUntilTheWindowFrees(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"), HIGH_DAILY_CAP);
        Contact miami = h.contact("+13055550181", "Ana");
        String campaign = h.campaign(FOUR_STEPS);
        h.event(miami.id(), "go", Map.of());
        h.advanceTo(ny("2037-11-23T13:00:00"));

        // Sent at 10:00, 11:00, 12:00; the fourth (13:00) waits until the first leaves the window.
        assertThat(h.sent(miami.id())).extracting(JurisdictionCapTest::text).containsExactly("A", "B", "C");
        Enrolment held = h.enrolment(miami.id(), campaign);
        assertThat(held.stepId()).isEqualTo("d");
        assertThat(held.dueAt()).isEqualTo(ny("2037-11-24T10:00:00"));
        assertThat(held.history()).extracting(Enrolment.StepRecord::outcome)
                .anySatisfy(o -> assertThat(o).contains("us-fl-cap").contains("US-FL").contains("flsenate.gov"));
        // The rule that holds it is kept on the enrolment while it waits (GET .../enrolments/{contactId}).
        assertThat(held.heldBy()).isNotNull();
        assertThat(held.heldBy().id()).isEqualTo("us-fl-cap");
        assertThat(held.heldBy().jurisdiction()).isEqualTo("US-FL");
        assertThat(held.heldBy().source()).contains("flsenate.gov");
        assertThat(held.heldBy().until()).isEqualTo(ny("2037-11-24T10:00:00"));

        h.advanceTo(ny("2037-11-24T09:59:00"));
        assertThat(h.sent(miami.id())).hasSize(3);
        h.advanceTo(ny("2037-11-24T10:00:00"));
        assertThat(h.sent(miami.id())).extracting(JurisdictionCapTest::text).containsExactly("A", "B", "C", "D");
        assertThat(h.sent(miami.id()).get(3).createdAt()).isEqualTo(ny("2037-11-24T10:00:00"));
        assertThat(h.enrolment(miami.id(), campaign).heldBy()).as("cleared once sent").isNull();
    }

    @Test
    void aCampaignAndABroadcastToTheSameFloridaPersonCountTogether(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"), HIGH_DAILY_CAP);
        Contact miami = h.contact("+13055550182", "Bo");
        h.core.contacts().patch(miami.id(), ContactPatch.parse(Map.of("tags", List.of("fl"))), "test");
        h.campaign("""
                {"name": "Two", "trigger": {"event": "go"}, "frequencyCap": "skip",
                 "steps": [{"id": "a", "send": {"body": "A"}}, {"id": "b", "send": {"body": "B"}}]}""");
        h.event(miami.id(), "go", Map.of());
        assertThat(h.sent(miami.id())).hasSize(2);

        Broadcasts.Broadcast third = h.core.broadcasts().create(new Broadcasts.BroadcastInput("Third",
                Map.of("tags", List.of("fl")), "Third", "marketing", null, null, null));
        h.pump();
        assertThat(h.core.broadcasts().get(third.id()).counts()).containsEntry("queued", 1L);
        Broadcasts.Broadcast fourth = h.core.broadcasts().create(new Broadcasts.BroadcastInput("Fourth",
                Map.of("tags", List.of("fl")), "Fourth", "marketing", null, null, null));
        h.pump();
        assertThat(h.core.broadcasts().get(fourth.id()).counts()).containsEntry("skippedCapped", 1L);
        assertThat(h.sent(miami.id())).extracting(JurisdictionCapTest::text).containsExactlyInAnyOrder("A", "B", "Third");

        // A broadcast that defers holds the person until the first message leaves the 24 hours.
        Broadcasts.Broadcast deferring = h.core.broadcasts().create(new Broadcasts.BroadcastInput("Deferring",
                Map.of("tags", List.of("fl")), "Later", "marketing", null, null, "defer"));
        h.pump();
        assertThat(h.core.broadcasts().get(deferring.id()).counts()).containsEntry("deferredCapped", 1L);
        Broadcasts.Recipient waiting = h.core.broadcasts().recipient(deferring.id(), miami.id());
        assertThat(waiting.status()).isEqualTo("held");
        assertThat(waiting.heldUntil()).isEqualTo(ny("2037-11-24T10:00:00"));
        assertThat(waiting.heldBy().id()).isEqualTo("us-fl-cap");
        assertThat(waiting.heldBy().jurisdiction()).isEqualTo("US-FL");
        assertThat(h.core.broadcasts().recipient(fourth.id(), miami.id()).status()).isEqualTo("skipped");
        assertThat(h.core.broadcasts().recipient(third.id(), miami.id()).status()).isEqualTo("sent");
        h.advanceTo(ny("2037-11-24T09:59:00"));
        assertThat(h.sent(miami.id())).hasSize(3);
        h.advanceTo(ny("2037-11-24T10:00:00"));
        assertThat(h.sent(miami.id())).extracting(JurisdictionCapTest::text).containsExactlyInAnyOrder("A", "B", "Third", "Later");
        assertThat(h.core.broadcasts().recipient(deferring.id(), miami.id()).status()).isEqualTo("sent");
    }

    @Test
    void aNewYorkNumberIsNotCappedByTheFloridaRule(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"), HIGH_DAILY_CAP);
        Contact nyc = h.contact("+12125550183", "Cy");
        h.campaign(FOUR_STEPS);
        h.event(nyc.id(), "go", Map.of());
        h.advanceTo(ny("2037-11-23T13:00:00"));
        assertThat(h.sent(nyc.id())).extracting(JurisdictionCapTest::text).containsExactly("A", "B", "C", "D");
    }

    @Test
    void theFloridaCapSwitchesOnOnItsEffectiveDateByTheClock(Engines engines) {
        // us-fl-cap is in force from 2021-07-01 (the recipient's local date).
        DripHarness h = new DripHarness(engines, ny("2021-06-30T10:00:00"), HIGH_DAILY_CAP);
        Contact before = h.contact("+13055550184", "Di");
        h.campaign(FOUR_STEPS);
        h.event(before.id(), "go", Map.of());
        h.advanceTo(ny("2021-06-30T13:00:00"));
        assertThat(h.sent(before.id())).hasSize(4);

        h.advanceTo(ny("2021-07-01T10:00:00"));
        Contact after = h.contact("+13055550185", "Ed");
        h.event(after.id(), "go", Map.of());
        h.advanceTo(ny("2021-07-01T13:00:00"));
        assertThat(h.sent(after.id())).extracting(JurisdictionCapTest::text).containsExactly("A", "B", "C");
    }
}
