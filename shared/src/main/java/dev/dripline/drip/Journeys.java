package dev.dripline.drip;

import dev.dripline.analytics.Tally;
import dev.dripline.compliance.QuietHours;
import dev.dripline.compliance.QuietHours.Jurisdiction;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.contacts.Contacts;
import dev.dripline.errors.NotFound;
import dev.dripline.logging.Masked;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStore;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.Origin;
import dev.dripline.messaging.Sender;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

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
 * conditional write on the old token (work that overtakes the move, one token ahead, waits for
 * it briefly, then fails so that the queue delivers it again); the message a step sends has an id derived from the run,
 * step and token, created with a condition, together with its frequency-cap count, in one
 * transaction. A duplicate therefore finds its message made (and queues it again, harmless) and
 * loses the conditional move.
 */
public final class Journeys {

    private static final Logger LOG = LoggerFactory.getLogger(Journeys.class);
    /** Steps one invocation runs back to back before it hands the rest to the queue (a loop guard). */
    static final int MAX_INLINE_STEPS = 25;

    private final Campaigns campaigns;
    private final JourneyStore store;
    private final Contacts contacts;
    private final Supplier<Messages> messages;
    private final MessageStore messageStore;
    private final DynamoDbClient dynamo;
    private final Timers timers;
    private final Supplier<OutboundWebhooks> webhooks;
    private final Supplier<Tally> tally;
    private final Clock clock;
    private final String brand;
    private final int dailyCap;
    private final Supplier<SegmentMatcher> segments;
    /**
     * Active campaign heads as last read, for {@link #HEAD_TTL}: a step reads its campaign's
     * status once a second at most; a pause takes up to that long to reach a running function.
     */
    private final Map<String, CachedHead> heads = new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a pause or an archive may take to reach a running steps function. */
    static final java.time.Duration HEAD_TTL = java.time.Duration.ofSeconds(1);

    private record CachedHead(Optional<Campaign> campaign, long readAt) {
    }

    /** What the engine asks of the audience: does a contact match a segment; contacts that have an attribute. */
    public interface SegmentMatcher {
        boolean matches(String segmentId, Contact contact);

        dev.dripline.audience.Audience.Page withAttribute(String attribute, String cursor);
    }

    /**
     * @param dailyCap marketing messages a contact may get per local day, across all campaigns
     *                 and broadcasts (DRIPLINE_FREQUENCY_CAP)
     */
    public Journeys(Campaigns campaigns, JourneyStore store, Contacts contacts, Supplier<Messages> messages, MessageStore messageStore,
                    DynamoDbClient dynamo, Timers timers, Supplier<OutboundWebhooks> webhooks, Supplier<Tally> tally, Clock clock,
                    String brand, int dailyCap, Supplier<SegmentMatcher> segments) {
        this.segments = segments;
        this.campaigns = campaigns;
        this.store = store;
        this.contacts = contacts;
        this.messages = messages;
        this.messageStore = messageStore;
        this.dynamo = dynamo;
        this.timers = timers;
        this.webhooks = webhooks;
        this.tally = tally;
        this.clock = clock;
        this.brand = brand;
        this.dailyCap = dailyCap;
    }

    public JourneyStore store() {
        return store;
    }

    // ---------------------------------------------------------------- enrolment

    /** What became of one enrolment request. */
    public enum Enrolled { ENROLLED, ALREADY_ACTIVE, NOT_AGAIN, NOT_ELIGIBLE }

    /**
     * Enrols a contact in a campaign at its current version, if the re-entry rule allows it.
     * {@code cause} (an event id, an API request id) makes the enrolment's id, so the same cause
     * delivered twice enrols once.
     */
    public Enrolled enrol(String campaignId, Contact contact, Map<String, Object> event, String cause) {
        return enrol(campaignId, contact, event, cause, null);
    }

    /** @param base when the first step's wait starts (a birthday's local time); null: now */
    Enrolled enrol(String campaignId, Contact contact, Map<String, Object> event, String cause, Instant base) {
        Campaign head = campaigns.get(campaignId);
        if (head.status() != Campaign.Status.ACTIVE) {
            return Enrolled.NOT_ELIGIBLE;
        }
        Campaigns.Version v = campaigns.version(campaignId, head.version());
        CampaignDefinition def = v.definition();
        Instant now = clock.instant();
        Optional<Enrolment> existing = store.enrolment(contact.id(), campaignId);
        String enrolmentId = "en_" + digest(campaignId + "|" + contact.id() + "|" + cause).substring(0, 26);
        if (existing.isPresent()) {
            Enrolment e = existing.get();
            if (e.enrolmentId().equals(enrolmentId) && e.active() && e.token() == 1 && !e.dueAt().isAfter(now)) {
                // The same cause again before its first step ran (a crash in between): run it now.
                run(e, def, e.stepId(), new ArrayList<>(e.history()));
                return Enrolled.ENROLLED;
            }
            if (e.enrolmentId().equals(enrolmentId) || e.active()) {
                return e.enrolmentId().equals(enrolmentId) ? Enrolled.ENROLLED : Enrolled.ALREADY_ACTIVE;
            }
            // A date trigger comes back every year: each year's run is its own cause.
            boolean again = def.reentry() instanceof CampaignDefinition.Reentry.Always
                    || def.trigger() instanceof CampaignDefinition.Trigger.OnDate
                    || (def.reentry() instanceof CampaignDefinition.Reentry.After after
                    && (e.endedAt() == null || !now.isBefore(e.endedAt().plus(after.period()))));
            if (!again) {
                return Enrolled.NOT_AGAIN;
            }
        }
        if (def.category() == Category.MARKETING && contact.consent() != ConsentStatus.OPTED_IN) {
            tally.get().add(origin(campaignId, v.version(), null, null, enrolmentId), "skipped.optedOut", 1);
            return Enrolled.NOT_ELIGIBLE;
        }
        if (def.ageGated() && !ageVerified(contact)) {
            tally.get().add(origin(campaignId, v.version(), null, null, enrolmentId), "skipped.ageUnverified", 1);
            return Enrolled.NOT_ELIGIBLE;
        }
        CampaignDefinition.Step first = def.steps().get(0);
        Instant due = dueAt(first, base != null && base.isAfter(now) ? base : now, contact);
        Enrolment e = new Enrolment(contact.id(), campaignId, enrolmentId, v.version(), Enrolment.State.ACTIVE, first.id(), 1, null, due,
                now, null, null, existing.map(x -> x.runs() + 1).orElse(1), event == null ? Map.of() : event, List.of(),
                existing.map(Enrolment::optOutShown).orElse(false), null);
        boolean now1 = !due.isAfter(now);
        if (!now1) {
            timers.at(scheduleName(e), due, new Due.Step(contact.id(), campaignId, enrolmentId, 1));
        }
        if (!store.write(e, 0)) {
            return Enrolled.ALREADY_ACTIVE;
        }
        tally.get().add(origin(campaignId, v.version(), null, null, enrolmentId), "enrolled", 1);
        LOG.info("contact {} enrolled in {} v{} ({}), first step {} at {}", contact.id(), campaignId, v.version(), enrolmentId, first.id(), due);
        if (now1) {
            // Due at once: run here rather than through the queue. A crash before it ran leaves the
            // cause (event, API enrolment) to be delivered again, which runs it (above).
            run(e, def, first.id(), new ArrayList<>());
        }
        return Enrolled.ENROLLED;
    }

    // ---------------------------------------------------------------- the queue's work

    /** A step fell due. */
    public void onStep(Due.Step due) {
        Optional<Enrolment> found = store.enrolment(due.contactId(), due.campaignId());
        for (int wait = 0; wait < 5 && found.isPresent() && behind(found.get(), due); wait++) {
            // Work is scheduled before the move that made it is written: it may overtake that write.
            sleep(100);
            found = store.enrolment(due.contactId(), due.campaignId());
        }
        if (found.isPresent() && behind(found.get(), due)) {
            throw new IllegalStateException("step " + due.token() + " of " + due.enrolmentId() + " arrived before its enrolment moved there;"
                    + " the queue delivers it again");
        }
        if (found.isEmpty() || !current(found.get(), due)) {
            LOG.debug("stale step for {} in {} (token {})", due.contactId(), due.campaignId(), due.token());
            return;
        }
        Enrolment e = found.get();
        if (e.dueAt() != null && clock.instant().isBefore(e.dueAt())) {
            // Early (parked on the queue while the scheduler was full, or a clock that disagrees): never act before time.
            timers.at(scheduleName(e), e.dueAt(), due);
            return;
        }
        Optional<Campaign> head = head(e.campaignId());
        if (head.isEmpty() || head.get().status() == Campaign.Status.ARCHIVED) {
            end(e, Enrolment.State.EXITED, "campaign_archived", null);
            return;
        }
        if (head.get().status() == Campaign.Status.PAUSED || head.get().status() == Campaign.Status.DRAFT) {
            store.hold(e.campaignId(), e.contactId());
            LOG.info("campaign {} paused: step {} of {} held", e.campaignId(), e.stepId(), e.contactId());
            return;
        }
        CampaignDefinition def = campaigns.version(e.campaignId(), e.version()).definition();
        if ("reply".equals(e.waiting())) {
            // The reply's deadline passed without one.
            CampaignDefinition.Step waitingStep = def.step(e.stepId());
            String next = waitingStep.onTimeout() != null ? waitingStep.onTimeout() : def.following(waitingStep.id());
            List<Enrolment.StepRecord> history = new ArrayList<>(e.history());
            history.add(new Enrolment.StepRecord(waitingStep.id(), clock.instant(), "timeout"));
            moveOn(e, def, next, history, null);
            return;
        }
        run(e, def, e.stepId(), new ArrayList<>(e.history()));
    }

    private Optional<Campaign> head(String campaignId) {
        long now = System.nanoTime();
        CachedHead cached = heads.get(campaignId);
        // Only "active" is trusted from the cache: a hold or an end is decided on a fresh read,
        // so a resume is never missed by an instance that saw the pause a moment ago.
        if (cached != null && now - cached.readAt() < HEAD_TTL.toNanos()
                && cached.campaign().map(c -> c.status() == Campaign.Status.ACTIVE).orElse(false)) {
            return cached.campaign();
        }
        Optional<Campaign> read = campaigns.find(campaignId);
        heads.put(campaignId, new CachedHead(read, now));
        return read;
    }

    private static boolean behind(Enrolment e, Due.Step due) {
        return e.active() && e.enrolmentId().equals(due.enrolmentId()) && e.token() == due.token() - 1;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean current(Enrolment e, Due.Step due) {
        return e.active() && e.enrolmentId().equals(due.enrolmentId()) && e.token() == due.token();
    }

    /** An event: ends the runs it is a goal of, enrols in the campaigns it triggers. */
    public void onEvent(Due.ContactEvent event) {
        Optional<Contact> contact = contacts.get(event.contactId());
        if (contact.isEmpty()) {
            return;
        }
        for (Enrolment e : store.enrolments(event.contactId())) {
            CampaignDefinition def = campaigns.version(e.campaignId(), e.version()).definition();
            if (e.active() && def.exitOn().contains(event.name())) {
                end(e, Enrolment.State.EXITED, "goal:" + event.name(), def);
            }
            if (def.convertsOn(event.name()) && e.lastSent() != null
                    && !event.occurredAt().isAfter(e.lastSent().at().plus(def.conversion().window()))
                    && !event.occurredAt().isBefore(e.lastSent().at())) {
                converted(e, event);
            }
            Holdout.conversion(e, event.occurredAt(), def.conversion().window()).ifPresent(metric -> holdoutConverted(e, metric));
        }
        for (Campaign c : campaigns.activeFor("event#" + event.name())) {
            Enrolled result = enrol(c.id(), contact.get(), event.properties(), event.eventId());
            LOG.info("event {} for {}: {} in {}", event.name(), event.contactId(), result, c.id());
        }
    }

    /** One conversion per run and event: recorded as a step record keyed by the event, so a redelivery does not count again. */
    private void converted(Enrolment e, Due.ContactEvent event) {
        String mark = "converted:" + event.eventId();
        Enrolment latest = store.enrolment(e.contactId(), e.campaignId()).orElse(e);
        if (latest.history().stream().anyMatch(r -> mark.equals(r.outcome())) || !latest.enrolmentId().equals(e.enrolmentId())) {
            return;
        }
        List<Enrolment.StepRecord> history = new ArrayList<>(latest.history());
        history.add(new Enrolment.StepRecord(latest.lastSent().stepId(), clock.instant(), mark));
        Enrolment marked = with(latest, latest.state(), latest.stepId(), latest.token() + 1, latest.waiting(), latest.dueAt(), history);
        if (store.write(marked, latest.token())) {
            tally.get().add(origin(latest.campaignId(), latest.version(), latest.lastSent().stepId(), latest.lastSent().variant(),
                    latest.enrolmentId()), "converted", 1);
        }
    }

    /** A conversion of a run that passed a holdout step, counted for its group once per run (marked in its history). */
    private void holdoutConverted(Enrolment e, String metric) {
        Enrolment latest = store.enrolment(e.contactId(), e.campaignId()).orElse(e);
        if (!latest.enrolmentId().equals(e.enrolmentId()) || Holdout.conversion(latest, clock.instant(), Duration.ofDays(36500)).isEmpty()) {
            return;
        }
        List<Enrolment.StepRecord> history = new ArrayList<>(latest.history());
        history.add(new Enrolment.StepRecord(Holdout.groupStep(latest), clock.instant(), Holdout.CONVERTED_OUTCOME));
        Enrolment marked = with(latest, latest.state(), latest.stepId(), latest.token() + 1, latest.waiting(), latest.dueAt(), history);
        if (store.write(marked, latest.token())) {
            tally.get().add(origin(latest.campaignId(), latest.version(), Holdout.groupStep(latest), null, latest.enrolmentId()), metric, 1);
        }
    }

    /** An inbound message: the contact's runs waiting for a reply branch on it. */
    public void onReply(Due.Reply reply) {
        String text = normalise(reply.body());
        for (Enrolment e : store.enrolments(reply.contactId())) {
            if (!e.active() || !"reply".equals(e.waiting())
                    || e.history().stream().anyMatch(r -> r.outcome() != null && r.outcome().contains(reply.messageId()))) {
                continue;
            }
            CampaignDefinition def = campaigns.version(e.campaignId(), e.version()).definition();
            CampaignDefinition.Step step = def.step(e.stepId());
            String target = null;
            for (CampaignDefinition.Branch b : step.branches()) {
                if (b.match() != null && b.match().matcher(text).find()) {
                    target = b.target();
                    break;
                }
            }
            if (target == null && step.otherwise() == null) {
                LOG.info("reply from {} matches no branch of {} in {}: still waiting", e.contactId(), step.id(), e.campaignId());
                continue;
            }
            String next = target != null ? target : step.otherwise();
            List<Enrolment.StepRecord> history = new ArrayList<>(e.history());
            history.add(new Enrolment.StepRecord(step.id(), clock.instant(), "reply " + reply.messageId() + " "
                    + (target != null ? "matched" : "no match") + " -> " + next));
            moveOn(e, def, next, history, reply.messageId());
        }
    }

    /** A reply as matched: trimmed, without trailing punctuation ("Yes!" is "Yes"). */
    static String normalise(String body) {
        String t = body == null ? "" : body.strip();
        int end = t.length();
        while (end > 0 && ".!?,;。！？，".indexOf(t.charAt(end - 1)) >= 0) {
            end--;
        }
        return t.substring(0, end).strip();
    }

    /** The contact opted out: every marketing run ends now (their pending steps find themselves stale). */
    public void onOptOut(Due.OptOut optOut) {
        for (Enrolment e : store.enrolments(optOut.contactId())) {
            if (e.active()) {
                CampaignDefinition def = campaigns.version(e.campaignId(), e.version()).definition();
                if (def.category() == Category.MARKETING) {
                    end(e, Enrolment.State.EXITED, "opted_out", def);
                }
            }
        }
    }

    /** Enrolment by API: each contact at most once per request. */
    public void onEnrol(Due.Enrol enrol) {
        for (String contactId : enrol.contactIds()) {
            contacts.get(contactId).ifPresent(c -> enrol(enrol.campaignId(), c, enrol.properties(), enrol.requestId()));
        }
    }

    /** A resumed campaign: its held steps go on now, a page per invocation. */
    public void onResume(Due.Resume resume) {
        List<String> held = store.held(resume.campaignId(), 100);
        for (String contactId : held) {
            store.enrolment(contactId, resume.campaignId()).filter(Enrolment::active).ifPresent(e ->
                    timers.now(new Due.Step(e.contactId(), e.campaignId(), e.enrolmentId(), e.token())));
            store.release(resume.campaignId(), contactId);
        }
        if (held.size() == 100) {
            timers.now(resume);
        }
    }

    /**
     * A contact changed: for each running segment-triggered campaign, a contact that now
     * matches the segment and did not before has entered it, and is enrolled (re-entry rules
     * apply); one that no longer matches has left it. Membership is remembered per contact.
     */
    public void onContactChanged(Due.ContactChanged changed) {
        Optional<Contact> contact = contacts.get(changed.contactId());
        if (contact.isEmpty()) {
            return;
        }
        for (Campaign c : campaigns.activeFor("segment")) {
            CampaignDefinition def = campaigns.version(c.id(), c.version()).definition();
            if (!(def.trigger() instanceof CampaignDefinition.Trigger.OnSegment on)) {
                continue;
            }
            boolean matches;
            try {
                matches = segments.get().matches(on.segmentId(), contact.get());
            } catch (NotFound gone) {
                LOG.warn("campaign {} is triggered by segment {}, which does not exist", c.id(), on.segmentId());
                continue;
            }
            boolean was = store.member(contact.get().id(), on.segmentId());
            if (matches && !was) {
                store.join(contact.get().id(), on.segmentId());
                Enrolled result = enrol(c.id(), contact.get(), Map.of("segmentId", on.segmentId()),
                        "segment:" + on.segmentId() + ":" + clock.instant());
                LOG.info("contact {} entered segment {}: {} in {}", contact.get().id(), on.segmentId(), result, c.id());
            } else if (!matches && was) {
                store.leave(contact.get().id(), on.segmentId());
            }
        }
    }

    /**
     * A date-triggered campaign's daily pass: contacts whose date attribute (a birthday, an
     * anniversary: "YYYY-MM-DD" or "MM-DD") falls in the next two days in their own zone are
     * enrolled with their first step due at the campaign's local time on that day (February 29th
     * is kept on February 28th in other years). Once per contact and year.
     * A pass with no campaign id starts one per active date campaign and schedules tomorrow's.
     */
    public void onDateSweep(Due.DateSweep sweep) {
        Instant now = clock.instant();
        if (sweep.campaignId() == null) {
            List<Campaign> active = campaigns.activeFor("date");
            for (Campaign c : active) {
                timers.now(new Due.DateSweep(c.id(), sweep.day(), null));
            }
            if (!active.isEmpty()) {
                LocalDate tomorrow = now.atZone(java.time.ZoneOffset.UTC).toLocalDate().plusDays(1);
                timers.at("date-sweep-" + tomorrow, tomorrow.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                        new Due.DateSweep(null, tomorrow, null));
            }
            return;
        }
        Optional<Campaign> head = campaigns.find(sweep.campaignId());
        if (head.isEmpty() || head.get().status() != Campaign.Status.ACTIVE) {
            return;
        }
        CampaignDefinition def = campaigns.version(head.get().id(), head.get().version()).definition();
        if (!(def.trigger() instanceof CampaignDefinition.Trigger.OnDate on)) {
            return;
        }
        dev.dripline.audience.Audience.Page page = segments.get().withAttribute(on.attribute(), sweep.cursor());
        for (Contact c : page.items()) {
            Optional<Instant> occurrence = nextOccurrence(c.attributes().get(on.attribute()), on.at(), zone(c), now);
            if (occurrence.isPresent() && occurrence.get().isBefore(now.plus(java.time.Duration.ofDays(2)))) {
                int year = occurrence.get().atZone(zone(c)).getYear();
                enrol(head.get().id(), c, Map.of(on.attribute(), String.valueOf(c.attributes().get(on.attribute()))),
                        "date:" + on.attribute() + ":" + year, occurrence.get());
            }
        }
        if (page.nextCursor() != null) {
            timers.now(new Due.DateSweep(sweep.campaignId(), sweep.day(), page.nextCursor()));
        }
    }

    /** The next time (at or after {@code now}) the yearly date falls, at {@code at} in {@code zone}. */
    static Optional<Instant> nextOccurrence(Object value, java.time.LocalTime at, ZoneId zone, Instant now) {
        if (!(value instanceof String s)) {
            return Optional.empty();
        }
        java.time.MonthDay md;
        try {
            md = s.length() == 5 ? java.time.MonthDay.parse("--" + s) : java.time.MonthDay.from(LocalDate.parse(s.substring(0, 10)));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        for (int year = today.getYear(); year <= today.getYear() + 1; year++) {
            // MonthDay.atYear keeps February 29th on the 28th in other years.
            Instant candidate = md.atYear(year).atTime(at).atZone(zone).toInstant();
            if (!candidate.isBefore(now)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Puts every running enrolment's next step and every broadcast hold back on the scheduler:
     * for the local runtime restarting on its data directory, whose schedules were in memory
     * (on AWS the schedules persist). Harmless for work already scheduled (unique names; stale
     * work does nothing). A scan: an operator's path, not a request's.
     *
     * @return how many enrolments and hold lists were rescheduled
     */
    public int resumePending() {
        int resumed = 0;
        java.util.Set<String> releases = new java.util.HashSet<>();
        for (Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item : store.scanAll()) {
            String pk = item.get("pk").s();
            String sk = item.get("sk").s();
            if (sk.startsWith("E#")) {
                Enrolment e = JourneyStore.decode(item);
                if (e.active()) {
                    Instant at = e.dueAt() != null ? e.dueAt() : clock.instant();
                    timers.at(scheduleName(e), at, new Due.Step(e.contactId(), e.campaignId(), e.enrolmentId(), e.token()));
                    resumed++;
                }
            } else if (pk.startsWith("B#") && pk.split("#").length == 3 && pk.split("#")[2].matches("\\d+") && releases.add(pk)) {
                String[] parts = pk.split("#");
                long at = Long.parseLong(parts[2]);
                timers.at("bc-" + parts[1] + "-" + at, Instant.ofEpochSecond(at), new Due.BroadcastRelease(parts[1], at));
                resumed++;
            }
        }
        return resumed;
    }

    // ---------------------------------------------------------------- running steps

    /**
     * Runs steps from {@code stepId} for as long as they are due now, then records where the
     * run stands (conditional on the token it was at) and schedules what is next.
     */
    private void run(Enrolment e, CampaignDefinition def, String stepId, List<Enrolment.StepRecord> history) {
        Optional<Contact> found = contacts.get(e.contactId());
        if (found.isEmpty()) {
            end(e, Enrolment.State.EXITED, "contact_erased", def);
            return;
        }
        Contact contact = found.get();
        Instant now = clock.instant();
        Enrolment run = e;
        String at = stepId;
        for (int i = 0; i < MAX_INLINE_STEPS; i++) {
            if (at == null) {
                finish(e, run, history, Enrolment.State.COMPLETED, "completed", def);
                return;
            }
            CampaignDefinition.Step step = def.step(at);
            if (def.category() == Category.MARKETING && contact.consent() != ConsentStatus.OPTED_IN) {
                tally.get().add(origin(e, step.id(), null), "skipped.optedOut", 1);
                finish(e, run, history, Enrolment.State.EXITED, "opted_out", def);
                return;
            }
            if (def.ageGated() && !ageVerified(contact)) {
                tally.get().add(origin(e, step.id(), null), "skipped.ageUnverified", 1);
                finish(e, run, history, Enrolment.State.EXITED, "age_unverified", def);
                return;
            }
            if (step.holdout().isPresent()) {
                boolean held = step.holdout().get().holdsOut(e.campaignId(), contact.id());
                tally.get().add(origin(e, step.id(), null), held ? Holdout.HELD : Holdout.TREATED, 1);
                history.add(new Enrolment.StepRecord(step.id(), now, Holdout.outcome(held)));
                if (held) {
                    finish(e, run, history, Enrolment.State.EXITED, "holdout", def);
                    return;
                }
            }
            if (step.sends()) {
                Gate gate = gate(contact, def, now);
                if (gate.until().isAfter(now)) {
                    defer(e, run, at, history, gate.until(), gate.reason());
                    return;
                }
                CampaignDefinition.Variant variant = variant(step, contact.id(), e.campaignId());
                Sent sent = send(run, def, step, variant, contact, now);
                if (sent == Sent.CAPPED) {
                    if (def.capPolicy() == CampaignDefinition.CapPolicy.DEFER) {
                        defer(e, run, at, history, nextLocalDay(contact, now), "deferred.capped");
                        return;
                    }
                    tally.get().add(origin(e, step.id(), variant.id()), "skipped.capped", 1);
                    history.add(new Enrolment.StepRecord(step.id(), now, "skipped: frequency cap"));
                } else {
                    String messageId = messageId(run, step.id());
                    history.add(new Enrolment.StepRecord(step.id(), now, "sent " + messageId + (variant.id() == null ? "" : " variant " + variant.id())));
                    run = new Enrolment(run.contactId(), run.campaignId(), run.enrolmentId(), run.version(), run.state(), run.stepId(),
                            run.token(), run.waiting(), run.dueAt(), run.enteredAt(), run.endedAt(), run.endReason(), run.runs(), run.event(),
                            history, run.optOutShown() || def.category() == Category.MARKETING,
                            new Enrolment.LastSent(messageId, step.id(), variant.id(), now));
                }
            } else {
                history.add(new Enrolment.StepRecord(step.id(), now, "done"));
            }
            contact = tagAndUntag(contact, step);
            if (step.webhook().isPresent()) {
                webhooks.get().publish(step.webhook().get().event(), "evt_" + e.enrolmentId() + "_" + step.id() + "_" + e.token(), now,
                        stepEvent(e, step, contact));
            }
            tally.get().add(origin(e, step.id(), null), "stepsDone", 1);
            if (step.exit()) {
                finish(e, run, history, Enrolment.State.COMPLETED, "exit:" + step.id(), def);
                return;
            }
            if (step.waitsForReply()) {
                Instant deadline = now.plus(step.replyTimeout().get());
                Enrolment waiting = with(run, Enrolment.State.ACTIVE, step.id(), e.token() + 1, "reply", deadline, history);
                timers.at(scheduleName(waiting), deadline, new Due.Step(e.contactId(), e.campaignId(), e.enrolmentId(), e.token() + 1));
                commit(e, waiting);
                return;
            }
            String next = next(step, def, contact, e);
            if (next == null) {
                finish(e, run, history, Enrolment.State.COMPLETED, "completed", def);
                return;
            }
            Instant due = dueAt(def.step(next), now, contact);
            if (due.isAfter(now)) {
                Enrolment moved = with(run, Enrolment.State.ACTIVE, next, e.token() + 1, null, due, history);
                timers.at(scheduleName(moved), due, new Due.Step(e.contactId(), e.campaignId(), e.enrolmentId(), e.token() + 1));
                commit(e, moved);
                return;
            }
            at = next;
        }
        // A long chain of immediate steps (or a loop): the rest goes on in the next invocation.
        Enrolment moved = with(run, Enrolment.State.ACTIVE, at, e.token() + 1, null, now, history);
        timers.now(new Due.Step(e.contactId(), e.campaignId(), e.enrolmentId(), e.token() + 1));
        commit(e, moved);
    }

    /** From a reply or a timeout to {@code next}: recorded first (with a new token), then run from there. */
    private void moveOn(Enrolment e, CampaignDefinition def, String next, List<Enrolment.StepRecord> history, String cause) {
        if (next == null) {
            finish(e, e, history, Enrolment.State.COMPLETED, "completed", def);
            return;
        }
        Optional<Contact> contact = contacts.get(e.contactId());
        Instant now = clock.instant();
        Instant due = contact.map(c -> dueAt(def.step(next), now, c)).orElse(now);
        if (!due.isAfter(now)) {
            // Due at once: run it here, from the enrolment as it stands (its moves are conditional on
            // this token), rather than through the queue, where it could overtake its own write.
            if ("reply".equals(e.waiting())) {
                timers.cancel(scheduleName(e));
            }
            run(e, def, next, history);
            return;
        }
        Enrolment moved = with(e, Enrolment.State.ACTIVE, next, e.token() + 1, null, due, history);
        // Scheduled before the move is written, never a run with nothing scheduled: work that
        // arrives before the move waits for it (onStep); after a crash in between, the cause (the
        // reply, the timeout's step) is delivered again and makes the move.
        timers.at(scheduleName(moved), due, new Due.Step(e.contactId(), e.campaignId(), e.enrolmentId(), e.token() + 1));
        if (store.write(moved, e.token())) {
            if ("reply".equals(e.waiting())) {
                timers.cancel(scheduleName(e));
            }
        } else {
            LOG.info("{} in {} moved meanwhile; {} not applied", e.contactId(), e.campaignId(), cause == null ? "timeout" : "reply " + cause);
        }
    }

    private record Gate(Instant until, String reason) {
    }

    /** When a message of this campaign may next go to the contact: now, or the next opening. */
    Gate gate(Contact contact, CampaignDefinition def, Instant now) {
        List<ZoneId> zones = Sender.zones(Optional.of(contact), contact.phone());
        Optional<CampaignDefinition.SendWindow> w = def.sendWindow();
        if (def.category() == Category.MARKETING) {
            Jurisdiction quiet = Jurisdiction.of(contact.country(), contact.phone());
            Instant quietOnly = QuietHours.nextAllowed(now, zones, quiet);
            if (w.isEmpty()) {
                return new Gate(quietOnly, "deferred.quietHours");
            }
            Instant both = QuietHours.nextAllowed(now, zones, quiet.narrowedTo(w.get().start(), w.get().end(), w.get().days()));
            return new Gate(both, both.equals(quietOnly) ? "deferred.quietHours" : "deferred.sendWindow");
        }
        if (w.isPresent()) {
            Jurisdiction window = new Jurisdiction("send window", w.get().start(), w.get().end(), false, false, w.get().days());
            return new Gate(QuietHours.nextAllowed(now, zones, window), "deferred.sendWindow");
        }
        return new Gate(now, null);
    }

    /** The same step again at {@code until} (same token: the run has not moved), counted by reason. */
    private void defer(Enrolment e, Enrolment run, String stepId, List<Enrolment.StepRecord> history, Instant until, String reason) {
        Enrolment waiting = with(run, Enrolment.State.ACTIVE, stepId, e.token() + 1, null, until, history);
        timers.at(scheduleName(waiting), until, new Due.Step(e.contactId(), e.campaignId(), e.enrolmentId(), e.token() + 1));
        if (commit(e, waiting)) {
            tally.get().add(origin(e, stepId, null), reason, 1);
            LOG.info("step {} of {} in {}: {} until {}", stepId, e.contactId(), e.campaignId(), reason, until);
        }
    }

    private enum Sent { SENT, CAPPED }

    /**
     * Creates the step's message (with its frequency-cap count for marketing, in one
     * transaction) and queues it. A message that exists already (a duplicate delivery) is
     * queued again, which the sender's claim makes harmless.
     */
    private Sent send(Enrolment run, CampaignDefinition def, CampaignDefinition.Step step, CampaignDefinition.Variant variant,
                      Contact contact, Instant now) {
        String id = messageId(run, step.id());
        String body = variant.body().render(contact, run.event(), brand);
        boolean optOutText = def.category() == Category.MARKETING && !run.optOutShown();
        Message m = messages.get().draft(contact, id, body, def.category(), origin(run, step.id(), variant.id()), optOutText);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(messageStore.createPut(m)).build());
        if (def.category() == Category.MARKETING) {
            writes.add(TransactWriteItem.builder().update(store.capIncrement(contact.id(), localDay(contact, now), dailyCap, now)).build());
        }
        try {
            dynamo.transactWriteItems(t -> t.transactItems(writes));
        } catch (TransactionCanceledException cancelled) {
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            boolean messageExists = !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code());
            boolean capped = reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code());
            if (!messageExists && capped) {
                return Sent.CAPPED;
            }
            if (!messageExists) {
                throw cancelled;
            }
        }
        messages.get().queue(id);
        LOG.info("step {} of {} in {}: message {} to {}", step.id(), contact.id(), run.campaignId(), id, Masked.phone(contact.phone()));
        return Sent.SENT;
    }

    /** Where a step goes next: its first branch that holds, else its else/goto, else the step after it. */
    private String next(CampaignDefinition.Step step, CampaignDefinition def, Contact contact, Enrolment e) {
        if (step.split().isPresent()) {
            return step.split().get().choose(e.campaignId(), step.id(), contact.id());
        }
        for (CampaignDefinition.Branch b : step.branches()) {
            if (holds(b, contact, e)) {
                return b.target();
            }
        }
        if (!step.branches().isEmpty() && step.otherwise() != null) {
            return step.otherwise();
        }
        return step.next() != null ? step.next() : def.following(step.id());
    }

    private boolean holds(CampaignDefinition.Branch b, Contact contact, Enrolment e) {
        if (b.tag() != null) {
            return contact.tags() != null && contact.tags().contains(b.tag());
        }
        if (b.attribute() != null) {
            Object value = contact.attributes() == null ? null : contact.attributes().get(b.attribute());
            if (b.equals() == null) {
                return value != null;
            }
            return value != null && (value.equals(b.equals()) || String.valueOf(value).equalsIgnoreCase(String.valueOf(b.equals()))
                    || (value instanceof Number n && b.equals() instanceof Number m && n.doubleValue() == m.doubleValue()));
        }
        if (b.event() != null) {
            Instant to = clock.instant();
            Instant from = b.within() != null ? to.minus(b.within()) : e.enteredAt();
            return store.hadEvent(contact.id(), b.event(), from, to);
        }
        return false;
    }

    /** The contact as the step leaves it (tags changed only where they differ: an idempotent write). */
    private Contact tagAndUntag(Contact contact, CampaignDefinition.Step step) {
        List<String> have = contact.tags() == null ? List.of() : contact.tags();
        List<String> add = step.tag().stream().filter(t -> !have.contains(t)).toList();
        List<String> remove = step.untag().stream().filter(have::contains).toList();
        if (add.isEmpty() && remove.isEmpty()) {
            return contact;
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("add", add);
        tags.put("remove", remove);
        return contacts.patch(contact.id(), ContactPatch.parse(Map.of("tags", tags)), "campaign");
    }

    private Map<String, Object> stepEvent(Enrolment e, CampaignDefinition.Step step, Contact contact) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaignId", e.campaignId());
        data.put("version", e.version());
        data.put("enrolmentId", e.enrolmentId());
        data.put("stepId", step.id());
        data.put("contactId", contact.id());
        data.put("phone", contact.phone());
        data.put("event", e.event());
        return data;
    }

    /** Ends a run where it stands (a goal, an opt-out, an archived campaign), cancelling what it waited for. */
    private void end(Enrolment e, Enrolment.State state, String reason, CampaignDefinition def) {
        List<Enrolment.StepRecord> history = new ArrayList<>(e.history());
        finish(e, e, history, state, reason, def);
    }

    private void finish(Enrolment e, Enrolment run, List<Enrolment.StepRecord> history, Enrolment.State state, String reason,
                        CampaignDefinition def) {
        Instant now = clock.instant();
        history.add(new Enrolment.StepRecord(run.stepId(), now, reason));
        Enrolment ended = new Enrolment(run.contactId(), run.campaignId(), run.enrolmentId(), run.version(), state, run.stepId(), e.token() + 1,
                null, null, run.enteredAt(), now, reason, run.runs(), run.event(), history, run.optOutShown(), run.lastSent());
        if (store.write(ended, e.token())) {
            tally.get().add(origin(e, null, null), state == Enrolment.State.COMPLETED ? "completed" : "exited", 1);
            if (e.dueAt() != null && e.dueAt().isAfter(now)) {
                timers.cancel(scheduleName(e));
            }
            LOG.info("{} in {}: {} ({})", e.contactId(), e.campaignId(), state.wire(), reason);
        }
    }

    private boolean commit(Enrolment expected, Enrolment next) {
        if (store.write(next, expected.token())) {
            return true;
        }
        LOG.info("{} in {} moved meanwhile (token {}): this delivery was a duplicate", expected.contactId(), expected.campaignId(),
                expected.token());
        return false;
    }

    // ---------------------------------------------------------------- time

    /** When a step arriving now falls due: after its wait, measured from now (the previous step). */
    Instant dueAt(CampaignDefinition.Step step, Instant now, Contact contact) {
        if (step.pause().isEmpty()) {
            return now;
        }
        CampaignDefinition.Wait wait = step.pause().get();
        if (wait instanceof CampaignDefinition.Wait.For f) {
            return now.plus(f.duration());
        }
        if (wait instanceof CampaignDefinition.Wait.At a) {
            return a.at().isAfter(now) ? a.at() : now;
        }
        CampaignDefinition.Wait.Until until = (CampaignDefinition.Wait.Until) wait;
        ZoneId zone = zone(contact);
        ZonedDateTime local = now.atZone(zone);
        LocalDate day = local.toLocalDate();
        if (!local.toLocalTime().isBefore(until.time())) {
            day = day.plusDays(1);
        }
        while (!until.days().contains(day.getDayOfWeek())) {
            day = day.plusDays(1);
        }
        // atZone moves a time inside a DST gap forward, never back.
        return day.atTime(until.time()).atZone(zone).toInstant();
    }

    private Instant nextLocalDay(Contact contact, Instant now) {
        ZoneId zone = zone(contact);
        return now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }

    private LocalDate localDay(Contact contact, Instant now) {
        return now.atZone(zone(contact)).toLocalDate();
    }

    private static ZoneId zone(Contact contact) {
        try {
            return contact.timeZone() == null ? Sender.zones(Optional.of(contact), contact.phone()).get(0) : ZoneId.of(contact.timeZone());
        } catch (RuntimeException unknown) {
            return java.time.ZoneOffset.UTC;
        }
    }

    // ---------------------------------------------------------------- identities

    /** A/B: the same contact gets the same variant of a step, every time, with no state kept. */
    static CampaignDefinition.Variant variant(CampaignDefinition.Step step, String contactId, String campaignId) {
        if (step.variants().size() == 1) {
            return step.variants().get(0);
        }
        int total = step.variants().stream().mapToInt(CampaignDefinition.Variant::weight).sum();
        long h = Long.parseUnsignedLong(digest(campaignId + "|" + step.id() + "|" + contactId).substring(0, 15), 16);
        long pick = h % total;
        for (CampaignDefinition.Variant v : step.variants()) {
            pick -= v.weight();
            if (pick < 0) {
                return v;
            }
        }
        return step.variants().get(step.variants().size() - 1);
    }

    static String messageId(Enrolment run, String stepId) {
        return "msg_" + digest(run.enrolmentId() + "|" + stepId + "|" + run.token()).substring(0, 26);
    }

    /** The name of the schedule for where a run stands: unique per run and token. */
    static String scheduleName(Enrolment e) {
        return "st-" + e.enrolmentId() + "-" + e.token();
    }

    private static Origin origin(Enrolment e, String stepId, String variant) {
        return Origin.step(e.campaignId(), e.version(), stepId, variant, e.enrolmentId());
    }

    private static Origin origin(String campaignId, int version, String stepId, String variant, String enrolmentId) {
        return Origin.step(campaignId, version, stepId, variant, enrolmentId);
    }

    private static Enrolment with(Enrolment e, Enrolment.State state, String stepId, long token, String waiting, Instant dueAt,
                                  List<Enrolment.StepRecord> history) {
        return new Enrolment(e.contactId(), e.campaignId(), e.enrolmentId(), e.version(), state, stepId, token, waiting, dueAt, e.enteredAt(),
                e.endedAt(), e.endReason(), e.runs(), e.event(), List.copyOf(history), e.optOutShown(), e.lastSent());
    }

    static boolean ageVerified(Contact c) {
        Object v = c.attributes() == null ? null : c.attributes().get("ageVerified");
        return Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v));
    }

    static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For the API's lookups: the enrolment of a contact in a campaign. */
    public Enrolment enrolmentOf(String contactId, String campaignId) {
        return store.enrolment(contactId, campaignId).orElseThrow(() -> new NotFound("enrolment of contact " + contactId + " in campaign", campaignId));
    }

}
