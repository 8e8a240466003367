package dev.dripline.drip;

import dev.dripline.ids.Ids;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.conversations.ContactEvents;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How events, replies and opt-outs reach the drip engine: recorded where they must be, then
 * handed to the steps queue, where the engine (the only writer of enrolments) acts on them.
 * The API and the webhooks function stay quick and never touch an enrolment themselves.
 */
public final class JourneyInbox implements ContactEvents {

    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    private final Contacts contacts;
    private final JourneyStore store;
    private final Timers timers;
    private final Clock clock;

    private final Campaigns campaigns;

    public JourneyInbox(Contacts contacts, JourneyStore store, Campaigns campaigns, Timers timers, Clock clock) {
        this.campaigns = campaigns;
        this.contacts = contacts;
        this.store = store;
        this.timers = timers;
        this.clock = clock;
    }

    /** {@code POST /v1/events}. */
    public record EventInput(String id, String contactId, String phone, String country, String name, Map<String, Object> properties,
                             Instant occurredAt) {
    }

    /** What was recorded: {@code duplicate} when this id was recorded before (nothing is done twice). */
    public record Recorded(String id, String contactId, String name, Instant occurredAt, boolean duplicate) {
    }

    /**
     * Records an event and hands it to the engine. The event's id (given, or generated) makes
     * a retried request a duplicate, which is answered as the first was.
     */
    public Recorded event(EventInput in) {
        List<FieldError> errors = new ArrayList<>();
        if (in.name() == null || !EVENT_NAME.matcher(in.name()).matches()) {
            errors.add(new FieldError("name", "is required: 1-100 letters, digits, _ . : -"));
        }
        if ((in.contactId() == null || in.contactId().isBlank()) && (in.phone() == null || in.phone().isBlank())) {
            errors.add(new FieldError("contactId", "give contactId or phone"));
        }
        if (in.id() != null && (in.id().isBlank() || in.id().length() > 100)) {
            errors.add(new FieldError("id", "must be 1-100 characters"));
        }
        Instant now = clock.instant();
        if (in.occurredAt() != null && in.occurredAt().isAfter(now.plus(Duration.ofMinutes(5)))) {
            errors.add(new FieldError("occurredAt", "is in the future"));
        }
        if (in.properties() != null && dev.dripline.json.Json.write(in.properties()).length() > 16_384) {
            errors.add(new FieldError("properties", "are larger than 16 KB"));
        }
        Contact contact = null;
        if (errors.isEmpty()) {
            if (in.contactId() != null && !in.contactId().isBlank()) {
                contact = contacts.get(in.contactId()).orElseThrow(() -> new NotFound("contact", in.contactId()));
            } else {
                PhoneNumber phone = PhoneNumber.parse(in.phone(), in.country(), "phone");
                contact = contacts.byPhone(phone.e164()).orElseThrow(() -> new NotFound("contact with phone", dev.dripline.logging.Masked.phone(phone.e164())));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        String id = in.id() != null ? in.id() : Ids.next("evt", clock);
        Instant occurredAt = in.occurredAt() != null ? in.occurredAt() : now;
        Map<String, Object> properties = in.properties() == null ? Map.of() : in.properties();
        boolean fresh = store.recordEvent(contact.id(), in.name(), occurredAt, id, properties);
        // Queued again for a duplicate too: the first request may have died before queueing; the engine's steps are idempotent.
        timers.now(new Due.ContactEvent(id, contact.id(), in.name(), occurredAt, properties));
        return new Recorded(id, contact.id(), in.name(), occurredAt, !fresh);
    }

    /** A keyword's event (a contest keyword's {@code contest_entry}). */
    @Override
    public void emit(String contactId, String name, Instant occurredAt, String idempotencyKey) {
        store.recordEvent(contactId, name, occurredAt, idempotencyKey, Map.of());
        timers.now(new Due.ContactEvent(idempotencyKey, contactId, name, occurredAt, Map.of()));
    }

    /** A keyword program's event, with its argument as a property: recorded as {@code POST /v1/events} records one. */
    @Override
    public void emit(String contactId, String name, Map<String, Object> properties, Instant occurredAt, String idempotencyKey) {
        Map<String, Object> p = properties == null ? Map.of() : properties;
        store.recordEvent(contactId, name, occurredAt, idempotencyKey, p);
        timers.now(new Due.ContactEvent(idempotencyKey, contactId, name, occurredAt, p));
    }

    /**
     * Handed to the engine only when one of the contact's runs waits for a reply now (what
     * {@link Journeys#onReply} acts on): one read here instead of a steps-queue message, its
     * receive, the same read in the steps function and its delete for every inbound text
     * (issue 21: that hand-over on every reply was the webhook path's regression).
     */
    @Override
    public void replied(String contactId, String messageId, String body, Instant at) {
        replied(contactId, messageId, body, at, false);
    }

    @Override
    public void replied(String contactId, String messageId, String body, Instant at, boolean keyword) {
        if (store.enrolments(contactId).stream().anyMatch(e -> e.active() && e.waiting() == Enrolment.Waiting.REPLY)) {
            timers.now(new Due.Reply(contactId, messageId, body, at, keyword));
        }
    }

    @Override
    public void optedOut(String contactId, Instant at) {
        timers.now(new Due.OptOut(contactId, at));
    }

    /**
     * A contact was created or changed: handed to the engine if a segment-triggered campaign is
     * running (checked at most every 30 s per process, so plain contact writes cost nothing).
     */
    public void contactChanged(Contact contact) {
        Instant now = clock.instant();
        if (segmentCampaignsCheckedAt == null || now.isAfter(segmentCampaignsCheckedAt.plusSeconds(30)) || now.isBefore(segmentCampaignsCheckedAt)) {
            segmentCampaigns = !campaigns.activeFor("segment").isEmpty();
            segmentCampaignsCheckedAt = now;
        }
        if (segmentCampaigns) {
            timers.now(new Due.ContactChanged(contact.id()));
        }
    }

    private volatile Instant segmentCampaignsCheckedAt;
    private volatile boolean segmentCampaigns;

    /** A campaign became active: a date-triggered one starts its daily passes now. */
    public void activated(Campaign campaign) {
        CampaignDefinition def = campaigns.version(campaign.id(), campaign.version()).definition();
        if (def.trigger() instanceof CampaignDefinition.Trigger.OnDate) {
            timers.now(new Due.DateSweep(null, clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate(), null));
        }
        if (def.trigger() instanceof CampaignDefinition.Trigger.OnSegment) {
            segmentCampaignsCheckedAt = null;
        }
    }

    /** Contacts enrolled by API, handed to the engine in chunks. */
    public void enrol(String campaignId, List<String> contactIds, Map<String, Object> properties, String requestId) {
        for (int from = 0; from < contactIds.size(); from += 100) {
            timers.now(new Due.Enrol(campaignId, List.copyOf(contactIds.subList(from, Math.min(contactIds.size(), from + 100))),
                    properties == null ? Map.of() : properties, requestId));
        }
    }
}
