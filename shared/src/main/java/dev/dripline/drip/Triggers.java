package dev.dripline.drip;

import dev.dripline.analytics.Tally;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.errors.NotFound;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What starts and ends runs from outside: events (triggers, goals, conversions), segments entered, yearly dates, the API. */
final class Triggers {

    private static final Logger LOG = LoggerFactory.getLogger(Triggers.class);

    private final Campaigns campaigns;
    private final JourneyStore store;
    private final Contacts contacts;
    private final Enrolling enrolling;
    private final StepRunner runner;
    private final Timers timers;
    private final Supplier<Tally> tally;
    private final Clock clock;
    private final Supplier<Journeys.SegmentMatcher> segments;

    Triggers(Campaigns campaigns, JourneyStore store, Contacts contacts, Enrolling enrolling, StepRunner runner, Timers timers,
             Supplier<Tally> tally, Clock clock, Supplier<Journeys.SegmentMatcher> segments) {
        this.campaigns = campaigns;
        this.store = store;
        this.contacts = contacts;
        this.enrolling = enrolling;
        this.runner = runner;
        this.timers = timers;
        this.tally = tally;
        this.clock = clock;
        this.segments = segments;
    }

    /** An event: ends the runs it is a goal of, enrols in the campaigns it triggers. */
    void onEvent(Due.ContactEvent event) {
        Optional<Contact> contact = contacts.get(event.contactId());
        if (contact.isEmpty()) {
            return;
        }
        for (Enrolment e : store.enrolments(event.contactId())) {
            CampaignDefinition def = campaigns.version(e.campaignId(), e.version()).definition();
            if (e.active() && def.exitOn().contains(event.name()) && KeyedRuns.ends(def, e, event.name(), event.properties())) {
                runner.end(e, Enrolment.State.EXITED, "goal:" + event.name());
            }
            if (def.convertsOn(event.name()) && e.lastSent() != null
                    && !event.occurredAt().isAfter(e.lastSent().at().plus(def.conversion().window()))
                    && !event.occurredAt().isBefore(e.lastSent().at())) {
                converted(e, event);
            }
            Holdout.conversion(e, event.occurredAt(), def.conversion().window()).ifPresent(metric -> holdoutConverted(e, metric));
        }
        for (Campaign c : campaigns.activeFor("event#" + event.name())) {
            Journeys.Enrolled result = enrolling.enrol(c.id(), contact.get(), event.properties(), event.eventId(), null);
            LOG.info("event {} for {}: {} in {}", event.name(), event.contactId(), result, c.id());
        }
    }

    /** One conversion per run and event: recorded as a step record keyed by the event, so a redelivery does not count again. */
    private void converted(Enrolment e, Due.ContactEvent event) {
        String mark = "converted:" + event.eventId();
        Enrolment latest = store.enrolment(e.contactId(), e.campaignId(), e.key()).orElse(e);
        if (latest.history().stream().anyMatch(r -> mark.equals(r.outcome())) || !latest.enrolmentId().equals(e.enrolmentId())) {
            return;
        }
        List<Enrolment.StepRecord> history = new ArrayList<>(latest.history());
        history.add(new Enrolment.StepRecord(latest.lastSent().stepId(), clock.instant(), mark));
        Enrolment marked = latest.toBuilder().token(latest.token() + 1).history(history).build();
        if (store.write(marked, latest.token())) {
            tally.get().add(RunIds.origin(latest, latest.lastSent().stepId(), latest.lastSent().variant()), "converted", 1);
        }
    }

    /** A conversion of a run that passed a holdout step, counted for its group once per run (marked in its history). */
    private void holdoutConverted(Enrolment e, String metric) {
        Enrolment latest = store.enrolment(e.contactId(), e.campaignId(), e.key()).orElse(e);
        if (!latest.enrolmentId().equals(e.enrolmentId()) || Holdout.conversion(latest, clock.instant(), Duration.ofDays(36500)).isEmpty()) {
            return;
        }
        List<Enrolment.StepRecord> history = new ArrayList<>(latest.history());
        history.add(new Enrolment.StepRecord(Holdout.groupStep(latest), clock.instant(), Holdout.CONVERTED_OUTCOME));
        Enrolment marked = latest.toBuilder().token(latest.token() + 1).history(history).build();
        if (store.write(marked, latest.token())) {
            tally.get().add(RunIds.origin(latest, Holdout.groupStep(latest), null), metric, 1);
        }
    }

    /** Enrolment by API: each contact at most once per request. */
    void onEnrol(Due.Enrol enrol) {
        for (String contactId : enrol.contactIds()) {
            contacts.get(contactId).ifPresent(c -> enrolling.enrol(enrol.campaignId(), c, enrol.properties(), enrol.requestId(), null));
        }
    }

    /**
     * A contact changed: for each running segment-triggered campaign, a contact that now
     * matches the segment and did not before has entered it, and is enrolled (re-entry rules
     * apply); one that no longer matches has left it. Membership is remembered per contact.
     */
    void onContactChanged(Due.ContactChanged changed) {
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
                Journeys.Enrolled result = enrolling.enrol(c.id(), contact.get(), Map.of("segmentId", on.segmentId()),
                        "segment:" + on.segmentId() + ":" + clock.instant(), null);
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
    void onDateSweep(Due.DateSweep sweep) {
        Instant now = clock.instant();
        if (sweep.campaignId() == null) {
            List<Campaign> active = campaigns.activeFor("date");
            for (Campaign c : active) {
                timers.now(new Due.DateSweep(c.id(), sweep.day(), null));
            }
            if (!active.isEmpty()) {
                LocalDate tomorrow = now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1);
                timers.at("date-sweep-" + tomorrow, tomorrow.atStartOfDay(ZoneOffset.UTC).toInstant(), new Due.DateSweep(null, tomorrow, null));
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
            ZoneId zone = ContactZone.of(c);
            Optional<Instant> occurrence = nextOccurrence(c.attributes().get(on.attribute()), on.at(), zone, now);
            if (occurrence.isPresent() && occurrence.get().isBefore(now.plus(Duration.ofDays(2)))) {
                int year = occurrence.get().atZone(zone).getYear();
                enrolling.enrol(head.get().id(), c, Map.of(on.attribute(), String.valueOf(c.attributes().get(on.attribute()))),
                        "date:" + on.attribute() + ":" + year, occurrence.get());
            }
        }
        if (page.nextCursor() != null) {
            timers.now(new Due.DateSweep(sweep.campaignId(), sweep.day(), page.nextCursor()));
        }
    }

    /** The next time (at or after {@code now}) the yearly date falls, at {@code at} in {@code zone}. */
    static Optional<Instant> nextOccurrence(Object value, LocalTime at, ZoneId zone, Instant now) {
        if (!(value instanceof String s)) {
            return Optional.empty();
        }
        MonthDay md;
        try {
            md = s.length() == 5 ? MonthDay.parse("--" + s) : MonthDay.from(LocalDate.parse(s.substring(0, 10)));
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
}
