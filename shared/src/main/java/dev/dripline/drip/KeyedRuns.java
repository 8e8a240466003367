package dev.dripline.drip;

import dev.dripline.contacts.Contact;
import dev.dripline.schedule.Timers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs of a keyed trigger ({@code "trigger": {"event": "appointment_booked", "key": "appointmentId"}}):
 * one per contact and key value, side by side. The same event again with the same key and a new
 * date reschedules that run: its properties become the new event's, and a pending wait relative
 * to a date moves. The move takes a new token, so the old timer finds its run moved on and sends
 * nothing, whatever becomes of its cancellation. A keyed {@code exitOn} ends only the run whose
 * key the goal event names.
 */
final class KeyedRuns {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedRuns.class);
    /** A key value longer than this names no run (it would not be an id). */
    static final int LONGEST_KEY = 200;
    private static final String RESCHEDULED = "rescheduled by ";

    private final JourneyStore store;
    private final StepRunner runner;
    private final Timers timers;
    private final Clock clock;

    KeyedRuns(JourneyStore store, StepRunner runner, Timers timers, Clock clock) {
        this.store = store;
        this.runner = runner;
        this.timers = timers;
        this.clock = clock;
    }

    static boolean keyed(CampaignDefinition def) {
        return def.trigger() instanceof CampaignDefinition.Trigger.OnEvent on && on.keyed();
    }

    static String keyName(CampaignDefinition def) {
        return keyed(def) ? ((CampaignDefinition.Trigger.OnEvent) def.trigger()).key() : null;
    }

    /** The run's key in the event's properties: empty for an unkeyed campaign, or when the value is missing, blank or too long. */
    static Optional<String> key(CampaignDefinition def, Map<String, Object> event) {
        return keyed(def) ? value(event, keyName(def)) : Optional.empty();
    }

    /** A property as a key: text or a number, 1-200 characters. */
    static Optional<String> value(Map<String, Object> properties, String name) {
        Object v = properties == null ? null : properties.get(name);
        if (!(v instanceof String) && !(v instanceof Number)) {
            return Optional.empty();
        }
        String s = String.valueOf(v).strip();
        return s.isEmpty() || s.length() > LONGEST_KEY ? Optional.empty() : Optional.of(s);
    }

    /** Whether a keyed goal event ends this run: its key property names the run's key. */
    static boolean ends(CampaignDefinition def, Enrolment e, String eventName, Map<String, Object> properties) {
        String keyProperty = def.exitKeys().get(eventName);
        return keyProperty == null || (e.key() != null && value(properties, keyProperty).map(e.key()::equals).orElse(false));
    }

    /** Whether this cause (an event id) already rescheduled the run: a redelivery changes nothing. */
    static boolean applied(Enrolment e, String cause) {
        String mark = mark(cause);
        return e.history().stream().anyMatch(r -> mark.equals(r.outcome()));
    }

    private static String mark(String cause) {
        return RESCHEDULED + RunIds.digest(cause).substring(0, 16);
    }

    /**
     * The run takes the new event's properties; a pending wait relative to a date is worked out
     * again from them (a date now past skips the step, or acts at once with ifPast "now"). Other
     * waits keep their time. Retried on a run that moved meanwhile.
     */
    Journeys.Enrolled reschedule(Enrolment found, CampaignDefinition def, Contact contact, Map<String, Object> event, String cause) {
        Enrolment e = found;
        for (int attempt = 0; attempt < 3; attempt++) {
            if (move(e, def, contact, event, cause)) {
                return Journeys.Enrolled.RESCHEDULED;
            }
            Optional<Enrolment> now = store.enrolment(e.contactId(), e.campaignId(), e.key());
            if (now.isEmpty() || !now.get().active() || applied(now.get(), cause)) {
                return Journeys.Enrolled.RESCHEDULED;
            }
            e = now.get();
        }
        throw new IllegalStateException("run " + e.enrolmentId() + " kept moving while being rescheduled; the event is delivered again");
    }

    private boolean move(Enrolment e, CampaignDefinition def, Contact contact, Map<String, Object> event, String cause) {
        Instant now = clock.instant();
        List<Enrolment.StepRecord> history = new ArrayList<>(e.history());
        history.add(new Enrolment.StepRecord(e.stepId(), now, mark(cause)));
        Enrolment updated = e.toBuilder().event(event).history(history).build();
        CampaignDefinition.Step step = def.step(e.stepId());
        boolean relative = !e.waitingForReply() && step.pause().orElse(null) instanceof CampaignDefinition.Wait.Relative;
        Enrolment moved;
        if (relative) {
            Landing landing = runner.land(def, e.stepId(), now, contact, updated, history);
            if (landing.stepId() == null) {
                runner.end(updated.toBuilder().history(history).build(), Enrolment.State.COMPLETED, "completed");
                return true;
            }
            moved = updated.toBuilder().stepId(landing.stepId()).token(e.token() + 1).dueAt(landing.due()).history(history).build();
        } else {
            // Nothing here waits on the date: later steps read the new properties when they come.
            moved = updated.toBuilder().token(e.token() + 1).history(history).build();
        }
        Instant due = moved.dueAt() == null ? now : moved.dueAt();
        timers.at(RunIds.scheduleName(moved), due, RunIds.step(moved, moved.token()));
        if (!store.write(moved, e.token())) {
            return false;
        }
        if (e.dueAt() != null && e.dueAt().isAfter(now)) {
            // Tidiness only: the old timer is stale by its token, whether or not this cancel wins.
            timers.cancel(RunIds.scheduleName(e));
        }
        LOG.info("{} in {}: run {} rescheduled, step {} now due at {}", e.contactId(), e.campaignId(), e.enrolmentId(), moved.stepId(), due);
        return true;
    }
}
