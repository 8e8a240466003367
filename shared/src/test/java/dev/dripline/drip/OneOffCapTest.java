package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.ProblemType;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.OneOffMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One-off marketing ({@code POST /v1/messages}) is counted by the jurisdictions' caps in the same
 * send log as campaign steps and broadcasts: a Florida number's campaign message, broadcast
 * message and first one-off fill its 3 per 24 hours; the second one-off waits for the window.
 */
@ExtendWith(EnginesExtension.class)
class OneOffCapTest {

    static OneOffMessage marketing(String to, String body, String policy) {
        return new OneOffMessage(to, null, body, "marketing", null, null, null, null, policy);
    }

    @Test
    void aFloridaNumbersFourthMarketingMessageIn24HoursAcrossCampaignBroadcastAndOneOffsIsDeferred(Engines engines) {
        DripHarness h = new DripHarness(engines, JurisdictionCapTest.ny("2037-11-23T10:00:00"), JurisdictionCapTest.HIGH_DAILY_CAP);
        Contact miami = h.contact("+13055550191", "Flo");
        h.core.contacts().patch(miami.id(), ContactPatch.parse(Map.of("tags", List.of("fl1"))), "test");
        h.campaign("""
                {"name": "One", "trigger": {"event": "go"}, "steps": [{"id": "a", "send": {"body": "Campaign"}}]}""");
        h.event(miami.id(), "go", Map.of());
        h.advanceTo(JurisdictionCapTest.ny("2037-11-23T11:00:00"));
        Broadcasts.Broadcast b = h.core.broadcasts().create(new Broadcasts.BroadcastInput("Bc", Map.of("tags", List.of("fl1")),
                "Broadcast", "marketing", null, null, null));
        h.pump();
        assertThat(h.core.broadcasts().get(b.id()).counts()).containsEntry("queued", 1L);
        h.advanceTo(JurisdictionCapTest.ny("2037-11-23T12:00:00"));

        Message third = h.core.messages().submit(marketing(miami.phone(), "One-off one", null), "test");
        assertThat(third.sendAt()).as("the third in 24 hours goes at once").isNull();
        assertThat(third.capHold()).isNull();

        h.advanceTo(JurisdictionCapTest.ny("2037-11-23T13:00:00"));
        Message fourth = h.core.messages().submit(marketing(miami.phone(), "One-off two", "defer"), "test");
        // Deferred until the campaign's message (10:00) leaves the rolling 24 hours, held by the Florida rule.
        assertThat(fourth.sendAt()).isEqualTo(JurisdictionCapTest.ny("2037-11-24T10:00:00"));
        assertThat(fourth.capHold()).isNotNull();
        assertThat(fourth.capHold().ruleId()).isEqualTo("us-fl-cap");
        assertThat(fourth.capHold().jurisdiction()).isEqualTo("US-FL");
        assertThat(fourth.capHold().source()).contains("flsenate.gov");
        Message stored = h.core.messages().get(fourth.id()).orElseThrow();
        assertThat(stored.capHold()).isEqualTo(fourth.capHold());
        assertThat(stored.sendAt()).isEqualTo(fourth.sendAt());

        // The deferred one still counts now: a campaign or broadcast message now would be the fifth in 24 hours.
        Broadcasts.Broadcast fifth = h.core.broadcasts().create(new Broadcasts.BroadcastInput("Bc2", Map.of("tags", List.of("fl1")),
                "Broadcast two", "marketing", null, null, null));
        h.pump();
        assertThat(h.core.broadcasts().get(fifth.id()).counts()).containsEntry("skippedCapped", 1L);

        // A fifth that asks to be skipped is refused, naming the rule and the next slot.
        assertThatThrownBy(() -> h.core.messages().submit(marketing(miami.phone(), "One-off three", "skip"), "test"))
                .isInstanceOfSatisfying(Conflict.class, c -> assertThat(c.problemType()).isEqualTo(ProblemType.FREQUENCY_CAPPED))
                .hasMessageContaining("us-fl-cap");
    }

    @Test
    void transactionalOneOffsAndOtherStatesAreNotCounted(Engines engines) {
        DripHarness h = new DripHarness(engines, JurisdictionCapTest.ny("2037-11-23T10:00:00"), JurisdictionCapTest.HIGH_DAILY_CAP);
        Contact miami = h.contact("+13055550192", "Gus");
        for (int i = 0; i < 4; i++) {
            Message m = h.core.messages().submit(new OneOffMessage(miami.phone(), null, "Your order " + i, "transactional", null, null), "test");
            assertThat(m.sendAt()).isNull();
        }
        Contact nyc = h.contact("+12125550193", "Hal");
        for (int i = 0; i < 4; i++) {
            assertThat(h.core.messages().submit(marketing(nyc.phone(), "Sale " + i, null), "test").capHold()).isNull();
        }
        // After four transactional messages, Florida's marketing count is still empty: three go at once.
        for (int i = 0; i < 3; i++) {
            assertThat(h.core.messages().submit(marketing(miami.phone(), "Sale " + i, null), "test").capHold()).isNull();
        }
        assertThat(h.core.messages().submit(marketing(miami.phone(), "Sale 4", null), "test").capHold()).isNotNull();
    }

    @Test
    void aBadCapPolicyIsRefusedByName(Engines engines) {
        DripHarness h = new DripHarness(engines, JurisdictionCapTest.ny("2037-11-23T10:00:00"));
        Contact miami = h.contact("+13055550194", "Ida");
        assertThatThrownBy(() -> h.core.messages().submit(marketing(miami.phone(), "Hi", "later"), "test"))
                .hasMessageContaining("frequencyCap");
    }
}
