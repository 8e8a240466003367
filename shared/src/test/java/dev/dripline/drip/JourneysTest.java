package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.messaging.Message;
import dev.dripline.schedule.Due;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The drip engine, step by step, on the in-process engines and a clock the test moves. */
@ExtendWith(EnginesExtension.class)
class JourneysTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static final String ABANDONED_CART = read("../events/campaign-abandoned-cart.json");

    static String read(String path) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Instant ny(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(NEW_YORK).toInstant();
    }

    static ZonedDateTime inNewYork(Instant at) {
        return at.atZone(NEW_YORK);
    }

    @Test
    void theAbandonedCartRunsInTheContactsMorningAndBranchesOnYes(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T20:30:00"));
        Contact ada = h.contact("+12125550101", "Ada");
        String campaign = h.campaign(ABANDONED_CART);

        h.event(ada.id(), "cart_abandoned", Map.of("cartUrl", "https://shop.example/cart/42"));
        assertThat(h.enrolment(ada.id(), campaign).stepId()).isEqualTo("remind");

        h.advanceTo(ny("2037-11-23T21:30:00"));
        assertThat(h.sent(ada.id())).as("21:30 is outside the window: nothing yet").isEmpty();
        assertThat(h.enrolment(ada.id(), campaign).dueAt()).isEqualTo(ny("2037-11-24T09:00:00"));

        h.advanceTo(ny("2037-11-24T09:00:00"));
        List<Message> sent = h.sent(ada.id());
        assertThat(sent).hasSize(1);
        assertThat(inNewYork(sent.get(0).createdAt()).toLocalTime()).hasToString("09:00");
        assertThat(sent.get(0).body()).startsWith("Dripline Demo: Hi Ada, your cart is waiting http").endsWith("Reply STOP to opt out");
        assertThat(sent.get(0).origin().stepId()).isEqualTo("remind");

        h.advanceTo(ny("2037-11-25T09:00:00"));
        sent = h.sent(ada.id());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).body()).as("brand always, opt-out text only on the first marketing message")
                .isEqualTo("Dripline Demo: Need a hand finishing your order? Reply YES or NO");
        assertThat(h.enrolment(ada.id(), campaign).waiting()).isEqualTo(Enrolment.Waiting.REPLY);

        h.advance(Duration.ofMinutes(5));
        h.reply(ada, "Yes!");
        sent = h.sent(ada.id());
        assertThat(sent).extracting(m -> m.origin().stepId()).containsExactly("remind", "ask", "help");
        assertThat(h.core.contacts().get(ada.id()).orElseThrow().tags()).contains("needs-help");
        Enrolment done = h.enrolment(ada.id(), campaign);
        assertThat(done.state()).isEqualTo(Enrolment.State.COMPLETED);
        assertThat(done.endReason()).isEqualTo("exit:done");
    }

    @Test
    void noLeadsToTheEndAndTheTimeoutToo(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact no = h.contact("+12125550102", "Bo");
        Contact silent = h.contact("+12125550103", "Cy");
        String campaign = h.campaign(ABANDONED_CART);
        h.event(no.id(), "cart_abandoned", Map.of());
        h.event(silent.id(), "cart_abandoned", Map.of());
        h.advanceTo(ny("2037-11-24T11:01:00"));
        assertThat(h.sent(no.id())).hasSize(2);
        h.reply(no, "NO");
        assertThat(h.sent(no.id())).hasSize(2);
        assertThat(h.enrolment(no.id(), campaign).state()).isEqualTo(Enrolment.State.COMPLETED);
        assertThat(h.enrolment(silent.id(), campaign).waiting()).isEqualTo(Enrolment.Waiting.REPLY);

        h.advanceTo(ny("2037-11-26T11:00:01"));
        Enrolment timedOut = h.enrolment(silent.id(), campaign);
        assertThat(timedOut.state()).isEqualTo(Enrolment.State.COMPLETED);
        assertThat(timedOut.history()).extracting(Enrolment.StepRecord::outcome).contains("timeout");
        assertThat(h.sent(silent.id())).hasSize(2);
    }

    @Test
    void aReplyThatMatchesNoBranchKeepsTheStepWaiting(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550104", "Di");
        String campaign = h.campaign(ABANDONED_CART);
        h.event(c.id(), "cart_abandoned", Map.of());
        h.advanceTo(ny("2037-11-24T11:01:00"));
        h.reply(c, "maybe later");
        assertThat(h.enrolment(c.id(), campaign).waiting()).isEqualTo(Enrolment.Waiting.REPLY);
        h.reply(c, "是");
        assertThat(h.sent(c.id())).extracting(m -> m.origin().stepId()).containsExactly("remind", "ask", "help");
    }

    @Test
    void aReplyIsHandedToTheEngineOnlyWhileARunWaitsForOne(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550110", "Flo");
        String campaign = h.campaign(ABANDONED_CART);
        h.reply(c, "hello?");
        assertThat(h.delivered).as("no run: nothing for the steps queue").noneMatch(d -> d instanceof Due.Reply);
        h.event(c.id(), "cart_abandoned", Map.of());
        h.reply(c, "still there?");
        assertThat(h.enrolment(c.id(), campaign).waiting()).as("the first step does not wait for a reply").isNull();
        assertThat(h.delivered).as("a run that does not wait for a reply").noneMatch(d -> d instanceof Due.Reply);
        h.advanceTo(ny("2037-11-24T11:01:00"));
        assertThat(h.enrolment(c.id(), campaign).waiting()).isEqualTo(Enrolment.Waiting.REPLY);
        h.reply(c, "YES");
        assertThat(h.delivered).filteredOn(d -> d instanceof Due.Reply).hasSize(1);
        assertThat(h.enrolment(c.id(), campaign).waiting()).isNull();
    }

    @Test
    void aGoalEventEndsTheRunAndNothingMoreIsSent(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550105", "Ed");
        String campaign = h.campaign(ABANDONED_CART);
        h.event(c.id(), "cart_abandoned", Map.of());
        h.advanceTo(ny("2037-11-23T11:30:00"));
        assertThat(h.sent(c.id())).hasSize(1);
        h.event(c.id(), "order_completed", Map.of());
        Enrolment ended = h.enrolment(c.id(), campaign);
        assertThat(ended.state()).isEqualTo(Enrolment.State.EXITED);
        assertThat(ended.endReason()).isEqualTo("goal:order_completed");
        h.advanceTo(ny("2037-11-30T12:00:00"));
        assertThat(h.sent(c.id())).hasSize(1);
    }

    @Test
    void stopEndsEveryMarketingRunAndItsPendingStepIsStale(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550106", "Flo");
        String campaign = h.campaign(ABANDONED_CART);
        h.event(c.id(), "cart_abandoned", Map.of());
        h.advanceTo(ny("2037-11-23T11:30:00"));
        h.reply(c, "STOP");
        assertThat(h.enrolment(c.id(), campaign).endReason()).isEqualTo("opted_out");
        h.advanceTo(ny("2037-11-30T12:00:00"));
        assertThat(h.sent(c.id())).hasSize(1);
    }

    @Test
    void reentryOnceEnrolsOnceAndAfterAPeriodAgain(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550107", "Gus");
        String once = h.campaign("""
                {"name": "Welcome", "trigger": {"event": "signup"}, "reentry": "once",
                 "steps": [{"id": "hi", "send": {"body": "Welcome!"}}]}""");
        String monthly = h.campaign("""
                {"name": "Monthly", "trigger": {"event": "signup"}, "reentry": {"after": "P30D"},
                 "steps": [{"id": "hi", "send": {"body": "Hello again"}}]}""");
        h.event(c.id(), "signup", Map.of());
        h.advance(Duration.ofDays(1));
        h.event(c.id(), "signup", Map.of());
        assertThat(h.enrolment(c.id(), once).runs()).isEqualTo(1);
        assertThat(h.enrolment(c.id(), monthly).runs()).isEqualTo(1);
        h.advance(Duration.ofDays(30));
        h.event(c.id(), "signup", Map.of());
        assertThat(h.enrolment(c.id(), once).runs()).isEqualTo(1);
        assertThat(h.enrolment(c.id(), monthly).runs()).isEqualTo(2);
    }

    @Test
    void aStepDeliveredTwiceActsOnce(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550108", "Hal");
        String campaign = h.campaign("""
                {"name": "Two", "trigger": {"event": "go"},
                 "steps": [{"id": "one", "wait": "PT1H", "send": {"body": "One"}}, {"id": "two", "wait": "PT1H", "send": {"body": "Two"}}]}""");
        h.event(c.id(), "go", Map.of());
        Enrolment e = h.enrolment(c.id(), campaign);
        Due.Step due = new Due.Step(c.id(), campaign, e.enrolmentId(), e.token());
        h.clock.set(ny("2037-11-23T11:00:00"));
        h.deliver(due);
        h.deliver(due);
        h.pump();
        assertThat(h.sent(c.id())).hasSize(1);
        assertThat(h.enrolment(c.id(), campaign).token()).isEqualTo(e.token() + 1);
    }

    @Test
    void variantsAreStickyPerContactAndSplitByWeight(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        String campaign = h.campaign("""
                {"name": "AB", "trigger": {"event": "go"}, "reentry": "always",
                 "steps": [{"id": "offer", "variants": [
                   {"id": "a", "weight": 1, "send": {"body": "10% off"}},
                   {"id": "b", "weight": 1, "send": {"body": "Free shipping"}}]}]}""");
        CampaignDefinition.Step step = h.core.campaigns().version(campaign, 1).definition().step("offer");
        int a = 0;
        for (int i = 0; i < 2000; i++) {
            String id = "ct_" + i;
            CampaignDefinition.Variant first = RunIds.variant(step, id, campaign);
            assertThat(RunIds.variant(step, id, campaign)).isEqualTo(first);
            a += "a".equals(first.id()) ? 1 : 0;
        }
        assertThat(a).isBetween(900, 1100);
        Contact c = h.contact("+12125550109", "Ivy");
        h.event(c.id(), "go", Map.of());
        h.advance(Duration.ofDays(1));
        h.event(c.id(), "go", Map.of());
        List<Message> sent = h.sent(c.id());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).origin().variant()).isEqualTo(sent.get(0).origin().variant());
    }

    @Test
    void branchesOnAttributeTagAndEvent(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        String campaign = h.campaign("""
                {"name": "Tiers", "trigger": {"event": "go"}, "reentry": "always",
                 "steps": [
                   {"id": "route", "branches": [
                      {"attribute": "tier", "equals": "gold", "goto": "gold"},
                      {"tag": "vip", "goto": "vip"},
                      {"event": "order_completed", "within": "P7D", "goto": "buyer"}], "else": "other"},
                   {"id": "gold", "send": {"body": "Gold"}, "goto": "end"},
                   {"id": "vip", "send": {"body": "VIP"}, "goto": "end"},
                   {"id": "buyer", "send": {"body": "Buyer"}, "goto": "end"},
                   {"id": "other", "send": {"body": "Other"}, "untag": ["prospect"]},
                   {"id": "end", "exit": true}]}""");
        Contact gold = h.contact("+12125550110", "G", ConsentStatus.OPTED_IN, Map.of("tier", "gold"));
        Contact vip = h.contact("+12125550111", "V");
        h.core.contacts().patch(vip.id(), dev.dripline.contacts.ContactPatch.parse(Map.of("tags", List.of("vip"))), "test");
        Contact buyer = h.contact("+12125550112", "B");
        h.event(buyer.id(), "order_completed", Map.of());
        Contact other = h.contact("+12125550113", "O");
        h.core.contacts().patch(other.id(), dev.dripline.contacts.ContactPatch.parse(Map.of("tags", List.of("prospect"))), "test");
        for (Contact c : List.of(gold, vip, buyer, other)) {
            h.event(c.id(), "go", Map.of());
        }
        assertThat(h.sent(gold.id())).extracting(Message::body).singleElement().asString().contains("Gold");
        assertThat(h.sent(vip.id())).extracting(Message::body).singleElement().asString().contains("VIP");
        assertThat(h.sent(buyer.id())).extracting(Message::body).singleElement().asString().contains("Buyer");
        assertThat(h.sent(other.id())).extracting(Message::body).singleElement().asString().contains("Other");
        assertThat(h.core.contacts().get(other.id()).orElseThrow().tags()).doesNotContain("prospect");
        assertThat(h.enrolment(other.id(), campaign).state()).isEqualTo(Enrolment.State.COMPLETED);
    }

    @Test
    void waitUntilATimeOfDayInTheContactsZoneOnGivenWeekdays(Engines engines) {
        // Friday 2037-11-27 15:00 in New York: the next Monday at 10:00 is 2037-11-30.
        DripHarness h = new DripHarness(engines, ny("2037-11-27T15:00:00"));
        Contact c = h.contact("+12125550114", "Jo");
        String campaign = h.campaign("""
                {"name": "Monday", "trigger": {"event": "go"},
                 "steps": [{"id": "monday", "wait": {"until": "10:00", "days": ["MON"]}, "send": {"body": "Happy Monday"}}]}""");
        h.event(c.id(), "go", Map.of());
        assertThat(h.enrolment(c.id(), campaign).dueAt()).isEqualTo(ny("2037-11-30T10:00:00"));
    }

    @Test
    void theFrequencyCapDefersToTheNextDayOrSkipsBySetting(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"), Map.of("DRIPLINE_FREQUENCY_CAP", "2"));
        Contact c = h.contact("+12125550115", "Kim");
        String deferring = h.campaign("""
                {"name": "D", "trigger": {"event": "go"}, "frequencyCap": "defer",
                 "steps": [{"id": "a", "send": {"body": "A1"}}, {"id": "b", "send": {"body": "B1"}}, {"id": "c", "send": {"body": "C1"}}]}""");
        String skipping = h.campaign("""
                {"name": "S", "trigger": {"event": "go2"}, "frequencyCap": "skip",
                 "steps": [{"id": "x", "send": {"body": "X"}}, {"id": "y", "send": {"body": "Y"}}]}""");
        h.event(c.id(), "go", Map.of());
        // Both in the same instant: their order among messages of the same moment is not defined.
        assertThat(h.sent(c.id())).extracting(m -> m.origin().stepId()).containsExactlyInAnyOrder("a", "b");
        h.event(c.id(), "go2", Map.of());
        assertThat(h.enrolment(c.id(), skipping).state()).isEqualTo(Enrolment.State.COMPLETED);
        assertThat(h.enrolment(c.id(), skipping).history()).extracting(Enrolment.StepRecord::outcome)
                .contains("skipped: frequency cap");
        Enrolment deferred = h.enrolment(c.id(), deferring);
        assertThat(deferred.stepId()).isEqualTo("c");
        assertThat(deferred.dueAt()).isEqualTo(ny("2037-11-24T00:00:00"));
        // Midnight is inside quiet hours: deferred again to 08:00, then sent.
        h.advanceTo(ny("2037-11-24T08:00:00"));
        assertThat(h.sent(c.id())).extracting(m -> m.origin().stepId()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(h.sent(c.id()).get(2).origin().stepId()).isEqualTo("c");
        assertThat(inNewYork(h.sent(c.id()).get(2).createdAt()).toLocalTime()).hasToString("08:00");
    }

    @Test
    void aPausedCampaignHoldsItsStepsAndResumeReleasesThem(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550116", "Lu");
        String campaign = h.campaign("""
                {"name": "P", "trigger": {"event": "go"}, "steps": [{"id": "later", "wait": "PT2H", "send": {"body": "Later"}}]}""");
        h.event(c.id(), "go", Map.of());
        h.core.campaigns().transition(campaign, Campaign.Status.PAUSED);
        h.advanceTo(ny("2037-11-23T13:00:00"));
        assertThat(h.sent(c.id())).isEmpty();
        h.core.campaigns().transition(campaign, Campaign.Status.ACTIVE);
        h.deliver(new Due.Resume(campaign));
        h.pump();
        assertThat(h.sent(c.id())).hasSize(1);
    }

    @Test
    void runningEnrolmentsKeepTheVersionTheyStartedOn(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact early = h.contact("+12125550117", "Mo");
        Contact late = h.contact("+12125550118", "Ned");
        String campaign = h.campaign("""
                {"name": "V", "trigger": {"event": "go"}, "steps": [{"id": "s", "wait": "PT1H", "send": {"body": "Version one"}}]}""");
        h.event(early.id(), "go", Map.of());
        h.core.campaigns().update(campaign, dev.dripline.json.Json.read("""
                {"name": "V", "trigger": {"event": "go"}, "steps": [{"id": "s", "wait": "PT1H", "send": {"body": "Version two"}}]}""",
                com.fasterxml.jackson.databind.JsonNode.class));
        h.event(late.id(), "go", Map.of());
        h.advance(Duration.ofHours(2));
        assertThat(h.sent(early.id()).get(0).body()).contains("Version one");
        assertThat(h.sent(late.id()).get(0).body()).contains("Version two");
        assertThat(h.enrolment(late.id(), campaign).version()).isEqualTo(2);
    }

    @Test
    void anAgeGatedCampaignMessagesOnlyAgeVerifiedContacts(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact verified = h.contact("+12125550119", "Ola", ConsentStatus.OPTED_IN, Map.of("ageVerified", true));
        Contact unknown = h.contact("+12125550120", "Pia");
        h.campaign("""
                {"name": "Wine", "trigger": {"event": "go"}, "ageGated": true, "steps": [{"id": "s", "send": {"body": "New vintage"}}]}""");
        h.event(verified.id(), "go", Map.of());
        h.event(unknown.id(), "go", Map.of());
        assertThat(h.sent(verified.id())).hasSize(1);
        assertThat(h.sent(unknown.id())).isEmpty();
    }

    @Test
    void aContactWhoNeverOptedInGetsNoMarketingButTransactionalCampaignsRun(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T22:00:00"));
        Contact c = h.contact("+12125550121", "Quinn", ConsentStatus.PENDING, Map.of());
        h.campaign("""
                {"name": "Promo", "trigger": {"event": "booked"}, "steps": [{"id": "s", "send": {"body": "Promo"}}]}""");
        h.campaign("""
                {"name": "Booking", "category": "transactional", "trigger": {"event": "booked"},
                 "steps": [{"id": "s", "send": {"body": "Your booking is confirmed"}}]}""");
        h.event(c.id(), "booked", Map.of());
        assertThat(h.sent(c.id())).extracting(Message::body).containsExactly("Your booking is confirmed");
    }

    @Test
    void aStepDeliveredEarlyWaitsForItsTime(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550122", "Rae");
        String campaign = h.campaign("""
                {"name": "Early", "trigger": {"event": "go"}, "steps": [{"id": "s", "wait": "PT3H", "send": {"body": "On time"}}]}""");
        h.event(c.id(), "go", Map.of());
        Enrolment e = h.enrolment(c.id(), campaign);
        h.deliver(new Due.Step(c.id(), campaign, e.enrolmentId(), e.token()));
        assertThat(h.sent(c.id())).isEmpty();
        h.advanceTo(ny("2037-11-23T13:00:00"));
        assertThat(h.sent(c.id())).singleElement().satisfies(m ->
                assertThat(inNewYork(m.createdAt()).toLocalTime()).hasToString("13:00"));
    }

    @Test
    void enteringASegmentEnrolsOnceAndLeavingAndReenteringFollowsTheReentryRule(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        var segment = h.core.audience().createSegment("Gold", Map.of("attribute", "tier", "equals", "gold"));
        String campaign = h.campaign("""
                {"name": "Gold welcome", "trigger": {"segment": "%s"}, "reentry": "once",
                 "steps": [{"id": "hi", "send": {"body": "Welcome to Gold"}}]}""".formatted(segment.id()));
        Contact c = h.contact("+12125550123", "Sam", ConsentStatus.OPTED_IN, Map.of("tier", "silver"));
        h.pump();
        assertThat(h.sent(c.id())).isEmpty();
        h.core.contacts().patch(c.id(), dev.dripline.contacts.ContactPatch.parse(Map.of("attributes", Map.of("tier", "gold"))), "test");
        h.pump();
        assertThat(h.sent(c.id())).extracting(Message::body).singleElement().asString().contains("Welcome to Gold");
        h.core.contacts().patch(c.id(), dev.dripline.contacts.ContactPatch.parse(Map.of("firstName", "Samuel")), "test");
        h.core.contacts().patch(c.id(), dev.dripline.contacts.ContactPatch.parse(Map.of("attributes", Map.of("tier", "silver"))), "test");
        h.core.contacts().patch(c.id(), dev.dripline.contacts.ContactPatch.parse(Map.of("attributes", Map.of("tier", "gold"))), "test");
        h.pump();
        assertThat(h.sent(c.id())).hasSize(1);
        assertThat(h.enrolment(c.id(), campaign).runs()).isEqualTo(1);
    }

    @Test
    void aBirthdayCampaignSendsOnTheDayAtItsLocalTimeEveryYear(Engines engines) {
        DripHarness h = new DripHarness(engines, Instant.parse("2037-11-23T00:00:00Z"));
        Contact ny = h.contact("+12125550124", "Tia", ConsentStatus.OPTED_IN, Map.of("birthday", "1990-11-24"));
        Contact none = h.contact("+12125550125", "Uma", ConsentStatus.OPTED_IN, Map.of("birthday", "1990-06-01"));
        String campaign = h.campaign("""
                {"name": "Birthday", "trigger": {"date": {"attribute": "birthday", "at": "10:00"}},
                 "steps": [{"id": "wish", "send": {"body": "Happy birthday {{firstName}}!"}}]}""");
        h.advanceTo(ny("2037-11-24T09:59:00"));
        assertThat(h.sent(ny.id())).isEmpty();
        h.advanceTo(ny("2037-11-24T10:00:00"));
        assertThat(h.sent(ny.id())).singleElement().satisfies(m -> {
            assertThat(m.body()).contains("Happy birthday Tia!");
            assertThat(inNewYork(m.createdAt()).toLocalTime()).hasToString("10:00");
        });
        h.advanceTo(ny("2037-11-26T12:00:00"));
        assertThat(h.sent(ny.id())).hasSize(1);
        assertThat(h.sent(none.id())).isEmpty();
        h.advanceTo(ny("2038-11-24T10:00:00"));
        assertThat(h.sent(ny.id())).hasSize(2);
        assertThat(h.enrolment(ny.id(), campaign).runs()).isEqualTo(2);
    }

    @Test
    void nextOccurrenceKeepsFebruary29thOnThe28thInOtherYears() {
        assertThat(Triggers.nextOccurrence("2000-02-29", java.time.LocalTime.of(9, 0), NEW_YORK, ny("2038-01-10T00:00:00")))
                .contains(ny("2038-02-28T09:00:00"));
        assertThat(Triggers.nextOccurrence("not a date", java.time.LocalTime.of(9, 0), NEW_YORK, ny("2038-01-10T00:00:00"))).isEmpty();
    }

    @Test
    void anEnrolmentWrittenButNotRunBeforeACrashRunsWhenItsCauseIsDeliveredAgain(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550126", "Vic");
        String campaign = h.campaign("""
                {"name": "Now", "steps": [{"id": "now", "send": {"body": "Right away"}}]}""");
        String enrolmentId = "en_" + RunIds.digest(campaign + "|" + c.id() + "|req-1").substring(0, 26);
        // What a crash right after the enrolment's write leaves: the run at its first step, nothing sent.
        h.core.journeys().store().write(Enrolment.builder().contactId(c.id()).campaignId(campaign).enrolmentId(enrolmentId).version(1)
                .state(Enrolment.State.ACTIVE).stepId("now").token(1).dueAt(h.clock.instant()).enteredAt(h.clock.instant()).runs(1)
                .event(Map.of()).history(List.of()).optOutShown(false).build(), 0);
        assertThat(h.sent(c.id())).isEmpty();
        h.deliver(new Due.Enrol(campaign, List.of(c.id()), Map.of(), "req-1"));
        h.pump();
        assertThat(h.sent(c.id())).extracting(Message::body).singleElement().asString().contains("Right away");
        h.deliver(new Due.Enrol(campaign, List.of(c.id()), Map.of(), "req-1"));
        h.pump();
        assertThat(h.sent(c.id())).hasSize(1);
    }

    @Test
    void workThatOvertakesTheWriteOfItsOwnMoveIsRetriedNotDropped(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550127", "Wes");
        String campaign = h.campaign("""
                {"name": "Ahead", "trigger": {"event": "go"}, "steps": [{"id": "s", "wait": "PT1H", "send": {"body": "Later"}}]}""");
        h.event(c.id(), "go", Map.of());
        Enrolment e = h.enrolment(c.id(), campaign);
        assertThatThrownBy(() -> h.deliver(new Due.Step(c.id(), campaign, e.enrolmentId(), e.token() + 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("delivers it again");
        assertThat(h.enrolment(c.id(), campaign).token()).isEqualTo(e.token());
        h.deliver(new Due.Step(c.id(), campaign, e.enrolmentId(), e.token() + 5));
        assertThat(h.sent(c.id())).as("far ahead or behind is stale: nothing").isEmpty();
    }

    @Test
    void aChainOfImmediateStepsLongerThanOneInvocationRunsGoesOnThroughTheQueue(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550128", "Xia");
        int length = Journeys.MAX_INLINE_STEPS + 5;
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < length; i++) {
            steps.append(i == 0 ? "" : ",").append("{\"id\": \"t").append(i).append("\", \"tag\": [\"t").append(i).append("\"]}");
        }
        String campaign = h.campaign("{\"name\": \"Chain\", \"trigger\": {\"event\": \"go\"}, \"steps\": [" + steps + "]}");
        h.event(c.id(), "go", Map.of());
        assertThat(h.delivered.stream().filter(d -> d instanceof Due.Step).count()).as("the rest was handed to the queue").isEqualTo(1);
        assertThat(h.enrolment(c.id(), campaign).state()).isEqualTo(Enrolment.State.COMPLETED);
        assertThat(h.core.contacts().get(c.id()).orElseThrow().tags()).hasSize(length).contains("t0", "t" + (length - 1));
    }
}
