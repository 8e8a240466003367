package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.contacts.Contact;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import dev.dripline.messaging.Message;
import dev.dripline.schedule.Due;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Appointment reminders: a wait relative to a date in the event (or an attribute), one run per
 * appointment (a keyed trigger), moved by a reschedule and ended by a keyed cancellation.
 */
@ExtendWith(EnginesExtension.class)
class RemindersTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static final String REMINDER = """
            {"name": "Appointment reminder", "category": "transactional",
             "trigger": {"event": "appointment_booked", "key": "appointmentId"},
             "exitOn": [{"event": "appointment_cancelled", "key": "appointmentId"}, "account_closed"],
             "steps": [{"id": "remind", "wait": {"relativeTo": "event.appointmentAt", "offset": "-P1D", "at": "09:00"%s},
                        "send": {"body": "Reminder: {{event.appointmentAt}}"}}]}""";

    static Instant ny(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(NEW_YORK).toInstant();
    }

    static Map<String, Object> booking(String id, String at) {
        return Map.of("appointmentId", id, "appointmentAt", at);
    }

    static String reminder(String extra) {
        return REMINDER.formatted(extra);
    }

    @Test
    void aReminderForHalfPastTwoArrivesAtNineLocalTheDayBefore(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-20T10:00:00"));
        Contact c = h.contact("+12125550201", "Ada");
        String campaign = h.campaign(reminder(""));

        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-24T14:30:00-05:00"));
        Enrolment e = h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1");
        assertThat(e.dueAt()).isEqualTo(ny("2037-11-23T09:00:00"));
        assertThat(e.key()).isEqualTo("apt-1");

        h.advanceTo(ny("2037-11-23T08:59:00"));
        assertThat(h.sent(c.id())).isEmpty();
        h.advanceTo(ny("2037-11-23T09:00:00"));
        List<Message> sent = h.sent(c.id());
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.createdAt()).isEqualTo(ny("2037-11-23T09:00:00"));
            assertThat(m.body()).contains("Reminder: 2037-11-24T14:30:00-05:00");
        });
    }

    @Test
    void aRebookingMovesTheReminderAndTheOldTimerSendsNothing(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-20T10:00:00"));
        Contact c = h.contact("+12125550202", "Bo");
        String campaign = h.campaign(reminder(""));
        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-24T14:30:00-05:00"));
        Enrolment before = h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1");

        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-26T14:30:00-05:00"));
        Enrolment after = h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1");
        assertThat(after.enrolmentId()).as("the same run, moved").isEqualTo(before.enrolmentId());
        assertThat(after.dueAt()).isEqualTo(ny("2037-11-25T09:00:00"));
        assertThat(after.token()).isGreaterThan(before.token());

        // The old timer fires anyway (its cancellation lost a race): its token is stale.
        h.advanceTo(ny("2037-11-23T09:00:00"));
        h.deliver(RunIds.step(before, before.token()));
        h.pump();
        assertThat(h.sent(c.id())).as("nothing at the old time").isEmpty();

        h.advanceTo(ny("2037-11-25T09:00:00"));
        assertThat(h.sent(c.id())).singleElement().satisfies(m -> {
            assertThat(m.createdAt()).isEqualTo(ny("2037-11-25T09:00:00"));
            assertThat(m.body()).contains("2037-11-26T14:30");
        });
        h.advanceTo(ny("2037-11-30T09:00:00"));
        assertThat(h.sent(c.id())).hasSize(1);
    }

    @Test
    void theSameBookingDeliveredTwiceMovesNothingAndEnrolsOnce(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-20T10:00:00"));
        Contact c = h.contact("+12125550203", "Cy");
        String campaign = h.campaign(reminder(""));
        Due.ContactEvent booked = new Due.ContactEvent("evt_1", c.id(), "appointment_booked", h.clock.instant(),
                booking("apt-1", "2037-11-24T14:30:00-05:00"));
        h.deliver(booked);
        Enrolment first = h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1");
        h.deliver(booked);
        assertThat(h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1")).isEqualTo(first);
        Due.ContactEvent moved = new Due.ContactEvent("evt_2", c.id(), "appointment_booked", h.clock.instant(),
                booking("apt-1", "2037-11-26T14:30:00-05:00"));
        h.deliver(moved);
        Enrolment rescheduled = h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1");
        h.deliver(moved);
        assertThat(h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1")).isEqualTo(rescheduled);
        h.advanceTo(ny("2037-11-30T09:00:00"));
        assertThat(h.sent(c.id())).hasSize(1);
    }

    @Test
    void twoAppointmentsRunSideBySideAndACancellationEndsOnlyItsOwn(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-20T10:00:00"));
        Contact c = h.contact("+12125550204", "Di");
        Contact other = h.contact("+12125550214", "Ed");
        String campaign = h.campaign(reminder(""));
        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-24T14:30:00-05:00"));
        h.event(c.id(), "appointment_booked", booking("apt-2", "2037-11-25T11:00:00-05:00"));
        h.event(c.id(), "appointment_booked", booking("apt-3", "2037-11-27T11:00:00-05:00"));
        h.event(other.id(), "appointment_booked", booking("apt-3", "2037-11-27T11:00:00-05:00"));

        h.event(c.id(), "appointment_cancelled", Map.of("appointmentId", "apt-3"));
        assertThat(h.core.journeys().enrolmentOf(c.id(), campaign, "apt-3").state()).isEqualTo(Enrolment.State.EXITED);
        assertThat(h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1").active()).isTrue();
        assertThat(h.core.journeys().enrolmentOf(other.id(), campaign, "apt-3").active()).as("another contact's apt-3").isTrue();

        h.advanceTo(ny("2037-11-30T09:00:00"));
        assertThat(h.sent(c.id())).extracting(Message::createdAt)
                .containsExactly(ny("2037-11-23T09:00:00"), ny("2037-11-24T09:00:00"));
        assertThat(h.sent(other.id())).hasSize(1);
    }

    @Test
    void aPlainGoalStillEndsEveryRunOfTheContact(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-20T10:00:00"));
        Contact c = h.contact("+12125550205", "Fa");
        String campaign = h.campaign(reminder(""));
        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-24T14:30:00-05:00"));
        h.event(c.id(), "appointment_booked", booking("apt-2", "2037-11-25T11:00:00-05:00"));
        h.event(c.id(), "account_closed", Map.of());
        assertThat(h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1").active()).isFalse();
        assertThat(h.core.journeys().enrolmentOf(c.id(), campaign, "apt-2").active()).isFalse();
        h.advanceTo(ny("2037-11-30T09:00:00"));
        assertThat(h.sent(c.id())).isEmpty();
    }

    @Test
    void anAppointmentLessThanADayAwaySkipsTheReminder(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550206", "Gu");
        String campaign = h.campaign(reminder(""));
        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-24T08:00:00-05:00"));
        Enrolment e = h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1");
        assertThat(e.state()).isEqualTo(Enrolment.State.COMPLETED);
        assertThat(e.history()).extracting(Enrolment.StepRecord::outcome).anyMatch(o -> o.startsWith("skipped: due at"));
        h.advanceTo(ny("2037-11-25T09:00:00"));
        assertThat(h.sent(c.id())).isEmpty();
    }

    @Test
    void withIfPastNowAnAppointmentLessThanADayAwayIsRemindedAtOnce(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-23T10:00:00"));
        Contact c = h.contact("+12125550207", "Hu");
        h.campaign(reminder(", \"ifPast\": \"now\""));
        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-24T08:00:00-05:00"));
        assertThat(h.sent(c.id())).singleElement().extracting(Message::createdAt).isEqualTo(ny("2037-11-23T10:00:00"));
    }

    @Test
    void aRebookingToTomorrowMorningSkipsTheReminderThatNoLongerFits(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-20T10:00:00"));
        Contact c = h.contact("+12125550208", "Io");
        String campaign = h.campaign(reminder(""));
        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-24T14:30:00-05:00"));
        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-21T08:00:00-05:00"));
        assertThat(h.core.journeys().enrolmentOf(c.id(), campaign, "apt-1").state()).isEqualTo(Enrolment.State.COMPLETED);
        h.advanceTo(ny("2037-11-30T09:00:00"));
        assertThat(h.sent(c.id())).isEmpty();
    }

    @Test
    void aRenewalDateAttributeIsTakenInTheContactsZoneAndQuietHoursStillApply(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-20T10:00:00"));
        Contact c = h.contact("+12125550209", "Ju", dev.dripline.consent.ConsentStatus.OPTED_IN, Map.of("renewalDate", "2037-12-01"));
        String campaign = h.campaign("""
                {"name": "Renewal", "trigger": {"event": "go"}, "sendWindow": {"start": "10:00", "end": "18:00"},
                 "steps": [{"id": "renew", "wait": {"relativeTo": "attributes.renewalDate", "offset": "-P3D", "at": "07:00"},
                            "send": {"body": "Your plan renews on {{attributes.renewalDate}}"}}]}""");
        h.event(c.id(), "go", Map.of());
        assertThat(h.enrolment(c.id(), campaign).dueAt()).isEqualTo(ny("2037-11-28T07:00:00"));
        h.advanceTo(ny("2037-11-28T12:00:00"));
        assertThat(h.sent(c.id())).singleElement().extracting(Message::createdAt)
                .as("07:00 is before the send window: it goes when the window opens").isEqualTo(ny("2037-11-28T10:00:00"));
    }

    @Test
    void aBookingWithoutItsKeyEnrolsNoOne(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-20T10:00:00"));
        Contact c = h.contact("+12125550210", "Ka");
        String campaign = h.campaign(reminder(""));
        h.event(c.id(), "appointment_booked", Map.of("appointmentAt", "2037-11-24T14:30:00-05:00"));
        assertThat(h.core.journeys().store().enrolments(c.id())).isEmpty();
        assertThatThrownBy(() -> h.enrolment(c.id(), campaign)).isInstanceOf(dev.dripline.errors.NotFound.class);
    }

    @Test
    void aPausedKeyedRunIsHeldAndResumedWithItsKey(Engines engines) {
        DripHarness h = new DripHarness(engines, ny("2037-11-20T10:00:00"));
        Contact c = h.contact("+12125550211", "Lo");
        String campaign = h.campaign(reminder(""));
        h.event(c.id(), "appointment_booked", booking("apt-1", "2037-11-24T14:30:00-05:00"));
        h.core.campaigns().transition(campaign, Campaign.Status.PAUSED);
        h.advanceTo(ny("2037-11-23T12:00:00"));
        assertThat(h.sent(c.id())).isEmpty();
        h.core.campaigns().transition(campaign, Campaign.Status.ACTIVE);
        h.deliver(new Due.Resume(campaign));
        h.pump();
        assertThat(h.sent(c.id())).hasSize(1);
    }

    @Test
    void everyProblemWithTheNewFieldsIsNamedAtOnce() {
        String broken = """
                {"name": "Broken", "trigger": {"event": "appointment_booked", "key": "appointment id"},
                 "exitOn": [{"event": "appointment_cancelled", "key": 7, "why": "x"}, {"key": "appointmentId"}, 3],
                 "steps": [{"id": "a", "wait": {"relativeTo": "appointmentAt", "offset": "one day", "at": "9am", "ifPast": "later", "days": ["MON"]},
                            "send": {"body": "Hi"}},
                           {"id": "b", "wait": {"relativeTo": "event.appointmentAt", "offset": "-P1D-PT1H"}, "send": {"body": "Hi"}}]}""";
        assertThatThrownBy(() -> CampaignDefinition.parse(Json.read(broken, JsonNode.class))).isInstanceOfSatisfying(InvalidInput.class, e ->
                assertThat(e.errors()).extracting(FieldError::field).contains("trigger.key", "exitOn[0].key", "exitOn[0].why", "exitOn[1].event",
                        "exitOn[2]", "steps[0].wait.relativeTo", "steps[0].wait.offset", "steps[0].wait.at", "steps[0].wait.ifPast",
                        "steps[0].wait.days", "steps[1].wait.offset"));
    }

    @Test
    void aKeyedGoalNeedsAKeyedTriggerAndAKeyOnlyAnEventTrigger() {
        String broken = """
                {"name": "Broken", "trigger": {"segment": "seg_1", "key": "id"},
                 "exitOn": [{"event": "appointment_cancelled", "key": "appointmentId"}],
                 "steps": [{"id": "a", "send": {"body": "Hi"}}]}""";
        assertThatThrownBy(() -> CampaignDefinition.parse(Json.read(broken, JsonNode.class))).isInstanceOfSatisfying(InvalidInput.class, e ->
                assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("trigger.key", "exitOn[0].key"));
    }

    @Test
    void theNewFieldsReadBackAsTheModel() {
        CampaignDefinition d = CampaignDefinition.parse(Json.read(reminder(", \"ifPast\": \"now\""), JsonNode.class));
        assertThat(d.trigger()).isEqualTo(new CampaignDefinition.Trigger.OnEvent("appointment_booked", "appointmentId"));
        assertThat(d.exitOn()).containsExactly("appointment_cancelled", "account_closed");
        assertThat(d.exitKeys()).containsExactly(Map.entry("appointment_cancelled", "appointmentId"));
        assertThat(d.reentry()).as("a keyed trigger's default: each booking its own run").isInstanceOf(CampaignDefinition.Reentry.Always.class);
        assertThat(d.step("remind").pause()).get().isEqualTo(new CampaignDefinition.Wait.Relative(new RelativeWait(
                RelativeWait.Source.EVENT, "appointmentAt", java.time.Duration.ofDays(-1), java.time.LocalTime.of(9, 0), true)));
    }
}
