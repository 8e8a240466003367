package dev.dripline.drip;

import dev.dripline.analytics.Tally;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.errors.NotFound;
import dev.dripline.messaging.MessageStore;
import dev.dripline.messaging.Messages;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The drip engine: enrols contacts, runs their steps when they fall due, and moves them on
 * replies and events. It is the only writer of enrolments, and runs in the steps function.
 *
 * <p>A due step, every time, in this order: (1) is the enrolment still at the token the work
 * was scheduled for (else it is stale: nothing happens); is the campaign still running (paused:
 * held until resumed; archived: the run ends); (2) is the contact still opted in for marketing,
 * and age-verified where the campaign requires it (else the run ends, counted); (3) for a step
 * that sends: is it inside the quiet hours of every zone the contact may be in, narrowed by the
 * campaign's send window (else the same step is scheduled for the next opening); (4) is the
 * contact's frequency cap reached (defer to the next local day, or skip the message, by the
 * campaign's setting; counted either way); then act (send, tag, untag, webhook), record, and
 * schedule the next step. Steps due at once run in the same invocation.
 *
 * <p>At-least-once delivery: a step delivered twice acts once. The next step's work is scheduled
 * before the enrolment is moved, under a name derived from the new token, and the move is a
 * conditional write on the old token (work that overtakes the move, one token ahead, fails at
 * once so that the queue delivers it again: nothing waits inside a function); the message a step sends has an id derived from the run,
 * step and token, created with a condition, together with its frequency-cap count, in one
 * transaction. A duplicate therefore finds its message made (and queues it again, harmless) and
 * loses the conditional move.
 *
 * <p>This class is the engine's entry: the jobs live in {@link Enrolling} (enrolment and re-entry),
 * {@link Triggers} (events, segments, dates, the API), {@link DueSteps} (due steps, replies,
 * opt-outs, resumes), {@link StepRunner} (the step loop and its moves), {@link SendGates} (waits,
 * quiet hours, send windows), {@link FrequencyCap} and {@link RunIds}.
 */
public final class Journeys {

    /** Steps one invocation runs back to back before it hands the rest to the queue (a loop guard). */
    static final int MAX_INLINE_STEPS = 25;

    /** What the engine asks of the audience: does a contact match a segment; contacts that have an attribute. */
    public interface SegmentMatcher {
        boolean matches(String segmentId, Contact contact);

        dev.dripline.audience.Audience.Page withAttribute(String attribute, String cursor);
    }

    /** What became of one enrolment request (RESCHEDULED: a keyed run's pending wait moved to the new event's date). */
    public enum Enrolled { ENROLLED, ALREADY_ACTIVE, NOT_AGAIN, NOT_ELIGIBLE, RESCHEDULED }

    private final JourneyStore store;
    private final Timers timers;
    private final Clock clock;
    private final Enrolling enrolling;
    private final Triggers triggers;
    private final DueSteps steps;

    /**
     * @param dailyCap marketing messages a contact may get per local day, across all campaigns
     *                 and broadcasts (DRIPLINE_FREQUENCY_CAP)
     * @param dynamo   unused since the store writes its own transactions; kept for the composition root's call
     */
    public Journeys(Campaigns campaigns, JourneyStore store, Contacts contacts, Supplier<Messages> messages, MessageStore messageStore,
                    DynamoDbClient dynamo, Timers timers, Supplier<OutboundWebhooks> webhooks, Supplier<Tally> tally, Clock clock,
                    String brand, int dailyCap, Supplier<SegmentMatcher> segments) {
        this(campaigns, store, contacts, messages, messageStore, dynamo, timers, webhooks, tally, clock, brand, dailyCap, segments,
                dev.dripline.compliance.RegistrationGate.OFF);
    }

    /** @param gate the registration gates (DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION): a refused step is skipped */
    public Journeys(Campaigns campaigns, JourneyStore store, Contacts contacts, Supplier<Messages> messages, MessageStore messageStore,
                    DynamoDbClient dynamo, Timers timers, Supplier<OutboundWebhooks> webhooks, Supplier<Tally> tally, Clock clock,
                    String brand, int dailyCap, Supplier<SegmentMatcher> segments, dev.dripline.compliance.RegistrationGate gate) {
        this.store = store;
        this.timers = timers;
        this.clock = clock;
        StepRunner runner = new StepRunner(store, contacts, messages, new FrequencyCap(store, messageStore, dailyCap,
                dev.dripline.compliance.RulesTable.bundled(), gate), timers, webhooks,
                tally, clock, brand);
        this.enrolling = new Enrolling(campaigns, store, runner, timers, tally, clock);
        this.triggers = new Triggers(campaigns, store, contacts, enrolling, runner, timers, tally, clock, segments);
        this.steps = new DueSteps(campaigns, store, runner, timers, clock,
                new Answering(store, contacts, messages, timers, webhooks, tally, clock, runner));
    }

    public JourneyStore store() {
        return store;
    }

    /**
     * Enrols a contact in a campaign at its current version, if the re-entry rule allows it.
     * {@code cause} (an event id, an API request id) makes the enrolment's id, so the same cause
     * delivered twice enrols once.
     */
    public Enrolled enrol(String campaignId, Contact contact, Map<String, Object> event, String cause) {
        return enrolling.enrol(campaignId, contact, event, cause, null);
    }

    /** A step fell due. */
    public void onStep(Due.Step due) {
        steps.onStep(due);
    }

    /** An event: ends the runs it is a goal of, enrols in the campaigns it triggers. */
    public void onEvent(Due.ContactEvent event) {
        triggers.onEvent(event);
    }

    /** An inbound message: the contact's runs waiting for a reply branch on it. */
    public void onReply(Due.Reply reply) {
        steps.onReply(reply);
    }

    /** The contact opted out: every marketing run ends now. */
    public void onOptOut(Due.OptOut optOut) {
        steps.onOptOut(optOut);
    }

    /** Enrolment by API: each contact at most once per request. */
    public void onEnrol(Due.Enrol enrol) {
        triggers.onEnrol(enrol);
    }

    /** A resumed campaign: its held steps go on now, a page per invocation. */
    public void onResume(Due.Resume resume) {
        steps.onResume(resume);
    }

    /** A contact changed: segment-triggered campaigns enrol the contacts that entered their segment. */
    public void onContactChanged(Due.ContactChanged changed) {
        triggers.onContactChanged(changed);
    }

    /** A date-triggered campaign's daily pass (see {@link Triggers#onDateSweep}). */
    public void onDateSweep(Due.DateSweep sweep) {
        triggers.onDateSweep(sweep);
    }

    /**
     * Puts every running enrolment's next step back on the scheduler: for the local runtime
     * restarting on its data directory, whose schedules were in memory (on AWS the schedules
     * persist). Harmless for work already scheduled (unique names; stale work does nothing). A
     * scan: an operator's path, not a request's. (Broadcast holds are re-armed by their owner,
     * {@code Broadcasts.resumeUnfinished}.)
     *
     * @return how many enrolments were rescheduled
     */
    public int resumePending() {
        int resumed = 0;
        for (JourneyStore.Pending p : store.pending()) {
            if (p instanceof JourneyStore.Pending.Step step) {
                Enrolment e = step.enrolment();
                Instant at = e.dueAt() != null ? e.dueAt() : clock.instant();
                timers.at(RunIds.scheduleName(e), at, RunIds.step(e, e.token()));
                resumed++;
            }
        }
        return resumed;
    }

    /** For the API's lookups: the enrolment of a contact in a campaign. */
    public Enrolment enrolmentOf(String contactId, String campaignId) {
        return enrolmentOf(contactId, campaignId, null);
    }

    /** For the API's lookups: a keyed trigger's run for one key value ({@code key} null: the campaign's one run). */
    public Enrolment enrolmentOf(String contactId, String campaignId, String key) {
        return store.enrolment(contactId, campaignId, key).orElseThrow(() -> new NotFound("enrolment of contact " + contactId
                + (key == null ? "" : " with key " + key) + " in campaign", campaignId));
    }
}
