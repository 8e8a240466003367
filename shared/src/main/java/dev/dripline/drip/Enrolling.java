package dev.dripline.drip;

import dev.dripline.analytics.Tally;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.messaging.Category;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Enrols a contact in a campaign, if the campaign runs, the re-entry rule allows it and the contact may be messaged. */
final class Enrolling {

    private static final Logger LOG = LoggerFactory.getLogger(Enrolling.class);

    private final Campaigns campaigns;
    private final JourneyStore store;
    private final StepRunner runner;
    private final Timers timers;
    private final Supplier<Tally> tally;
    private final Clock clock;
    private final KeyedRuns keyed;

    Enrolling(Campaigns campaigns, JourneyStore store, StepRunner runner, Timers timers, Supplier<Tally> tally, Clock clock) {
        this.campaigns = campaigns;
        this.store = store;
        this.runner = runner;
        this.timers = timers;
        this.tally = tally;
        this.clock = clock;
        this.keyed = new KeyedRuns(store, runner, timers, clock);
    }

    /**
     * Enrols at the campaign's current version. {@code cause} (an event id, an API request id)
     * makes the enrolment's id, so the same cause delivered twice enrols once.
     *
     * @param base when the first step's wait starts (a birthday's local time); null: now
     */
    Journeys.Enrolled enrol(String campaignId, Contact contact, Map<String, Object> event, String cause, Instant base) {
        Campaign head = campaigns.get(campaignId);
        if (head.status() != Campaign.Status.ACTIVE) {
            return Journeys.Enrolled.NOT_ELIGIBLE;
        }
        Campaigns.Version v = campaigns.version(campaignId, head.version());
        CampaignDefinition def = v.definition();
        Instant now = clock.instant();
        Optional<String> key = KeyedRuns.key(def, event);
        if (KeyedRuns.keyed(def) && key.isEmpty()) {
            LOG.info("contact {} not enrolled in {}: the event has no usable {}", contact.id(), campaignId, KeyedRuns.keyName(def));
            return Journeys.Enrolled.NOT_ELIGIBLE;
        }
        Optional<Enrolment> existing = store.enrolment(contact.id(), campaignId, key.orElse(null));
        String enrolmentId = RunIds.enrolmentId(campaignId, contact.id(), cause);
        if (existing.isPresent()) {
            Enrolment e = existing.get();
            if (e.enrolmentId().equals(enrolmentId) && e.active() && e.token() == 1 && !e.dueAt().isAfter(now)) {
                // The same cause again before its first step ran (a crash in between): run it now.
                runner.run(e, def, e.stepId(), new ArrayList<>(e.history()));
                return Journeys.Enrolled.ENROLLED;
            }
            if (key.isPresent() && KeyedRuns.applied(e, cause)) {
                return Journeys.Enrolled.RESCHEDULED;
            }
            if (key.isPresent() && e.active() && !e.enrolmentId().equals(enrolmentId)) {
                return keyed.reschedule(e, def, contact, event, cause);
            }
            if (e.enrolmentId().equals(enrolmentId) || e.active()) {
                return e.enrolmentId().equals(enrolmentId) ? Journeys.Enrolled.ENROLLED : Journeys.Enrolled.ALREADY_ACTIVE;
            }
            // A date trigger comes back every year: each year's run is its own cause.
            boolean again = def.reentry() instanceof CampaignDefinition.Reentry.Always
                    || def.trigger() instanceof CampaignDefinition.Trigger.OnDate
                    || (def.reentry() instanceof CampaignDefinition.Reentry.After after
                    && (e.endedAt() == null || !now.isBefore(e.endedAt().plus(after.period()))));
            if (!again) {
                return Journeys.Enrolled.NOT_AGAIN;
            }
        }
        dev.dripline.messaging.Origin origin = dev.dripline.messaging.Origin.step(campaignId, v.version(), null, null, enrolmentId);
        ConsentStatus consent = contact.consentFor(def.topicOrDefault());
        boolean topicWithdrawn = consent == ConsentStatus.OPTED_OUT && contact.consent() != ConsentStatus.OPTED_OUT;
        if (topicWithdrawn || (def.category() == Category.MARKETING && consent != ConsentStatus.OPTED_IN)) {
            tally.get().add(origin, "skipped.optedOut", 1);
            return Journeys.Enrolled.NOT_ELIGIBLE;
        }
        if (def.ageGated() && !ageVerified(contact)) {
            tally.get().add(origin, "skipped.ageUnverified", 1);
            return Journeys.Enrolled.NOT_ELIGIBLE;
        }
        CampaignDefinition.Step first = def.steps().get(0);
        Enrolment e = Enrolment.builder().contactId(contact.id()).campaignId(campaignId).enrolmentId(enrolmentId).version(v.version())
                .state(Enrolment.State.ACTIVE).stepId(first.id()).token(1).enteredAt(now)
                .runs(existing.map(x -> x.runs() + 1).orElse(1)).event(event).key(key.orElse(null))
                .optOutShown(existing.map(Enrolment::optOutShown).orElse(false)).build();
        List<Enrolment.StepRecord> history = new ArrayList<>();
        Landing landing = runner.land(def, first.id(), base != null && base.isAfter(now) ? base : now, contact, e, history);
        if (landing.stepId() == null) {
            // Every step on the way was skipped (their dates had passed): a run that is over as it starts.
            history.add(new Enrolment.StepRecord(first.id(), now, "completed"));
            Enrolment over = e.toBuilder().state(Enrolment.State.COMPLETED).endedAt(now).endReason("completed").history(history).build();
            if (store.write(over, 0)) {
                tally.get().add(origin, "enrolled", 1);
                tally.get().add(origin, "completed", 1);
            }
            return Journeys.Enrolled.ENROLLED;
        }
        Instant due = landing.due();
        e = e.toBuilder().stepId(landing.stepId()).dueAt(due).history(history).build();
        boolean dueNow = !due.isAfter(now);
        if (!dueNow) {
            timers.at(RunIds.scheduleName(e), due, RunIds.step(e, 1));
        }
        if (!store.write(e, 0)) {
            return Journeys.Enrolled.ALREADY_ACTIVE;
        }
        tally.get().add(origin, "enrolled", 1);
        LOG.info("contact {} enrolled in {} v{} ({}), first step {} at {}", contact.id(), campaignId, v.version(), enrolmentId, e.stepId(), due);
        if (dueNow) {
            // Due at once: run here rather than through the queue. A crash before it ran leaves the
            // cause (event, API enrolment) to be delivered again, which runs it (above).
            runner.run(e, def, e.stepId(), history);
        }
        return Journeys.Enrolled.ENROLLED;
    }

    static boolean ageVerified(Contact c) {
        Object v = c.attributes() == null ? null : c.attributes().get("ageVerified");
        return Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v));
    }
}
