package dev.dripline.broadcasts;

import dev.dripline.webhooks.Hmac;
import dev.dripline.ids.Ids;
import dev.dripline.analytics.Tally;
import dev.dripline.audience.Audience;
import dev.dripline.audience.SegmentFilter;
import dev.dripline.contacts.Contacts;
import dev.dripline.drip.FrequencyCap;
import dev.dripline.drip.JourneyStore;
import dev.dripline.drip.Template;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.MessageStore;
import dev.dripline.messaging.Messages;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import dev.dripline.store.Page;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One-off sends to an audience (tags or a segment) at a set time.
 *
 * <p>Scale without a schedule per recipient: a broadcast has one schedule for its {@code sendAt};
 * when it fires, the audience is read a page at a time, each page handed on through the steps
 * queue. A recipient whose quiet hours (or, with {@code sendAtLocal}, whose own local time) say
 * "later" is written to a hold list keyed by the minute it may be sent, and each such minute
 * gets one schedule: a million recipients across every US zone make a few dozen schedules,
 * not a million. Everything is idempotent per recipient (the message id derives from the
 * broadcast and the contact; holds and skips are conditional puts), so a page delivered twice
 * sends and counts once.
 *
 * <p>This class is the capability's entry (create, cancel, read, recovery); {@link FanOut} sends,
 * {@link BroadcastStore} owns the broadcast items, the journeys table's {@link JourneyStore}
 * keeps the hold lists and skip marks, and {@link FrequencyCap} the daily cap.
 */
public final class Broadcasts {

    private static final Logger LOG = LoggerFactory.getLogger(Broadcasts.class);
    static final int PAGE = FanOut.PAGE;

    /** A broadcast as the API shows it. */
    public record Broadcast(String id, String name, String status, Object audience, String body, Category category, Instant sendAt,
                            LocalDateTime sendAtLocal, Long audienceSize, Map<String, Long> counts, Instant createdAt, String topic) {

        /** One stored before topics: its category's topic. */
        public Broadcast(String id, String name, String status, Object audience, String body, Category category, Instant sendAt,
                         LocalDateTime sendAtLocal, Long audienceSize, Map<String, Long> counts, Instant createdAt) {
            this(id, name, status, audience, body, category, sendAt, sendAtLocal, audienceSize, counts, createdAt,
                    category == null ? null : dev.dripline.consent.Topics.defaultFor(category.wire()));
        }
    }

    /** {@code POST /v1/broadcasts}. */
    public record BroadcastInput(String name, Map<String, Object> audience, String body, String category, Instant sendAt,
                                 String sendAtLocal, String frequencyCap, String topic, List<dev.dripline.media.MediaInput> media,
                                 String mediaFallback) {

        public BroadcastInput(String name, Map<String, Object> audience, String body, String category, Instant sendAt,
                              String sendAtLocal, String frequencyCap, String topic) {
            this(name, audience, body, category, sendAt, sendAtLocal, frequencyCap, topic, null, null);
        }

        public BroadcastInput(String name, Map<String, Object> audience, String body, String category, Instant sendAt,
                              String sendAtLocal, String frequencyCap) {
            this(name, audience, body, category, sendAt, sendAtLocal, frequencyCap, null, null, null);
        }
    }

    private final BroadcastStore store;
    private final JourneyStore holds;
    private final BroadcastAudience audience;
    private final Supplier<Messages> messages;
    private final MessageStore messageStore;
    private final Timers timers;
    private final Clock clock;
    private final FanOut fanOut;

    /**
     * @param table the campaigns table (a broadcast is a head item there, {@code id = bc_...})
     * @param holds the journeys table: hold lists, skip marks, frequency caps (through its owner, {@link JourneyStore})
     */
    public Broadcasts(DynamoDbClient dynamo, String table, String holds, Audience audience, Contacts contacts, Supplier<Messages> messages,
                      MessageStore messageStore, Timers timers, Supplier<Tally> tally, Clock clock, String brand, int dailyCap) {
        this(dynamo, table, holds, audience, contacts, messages, messageStore, timers, tally, clock, brand, dailyCap,
                dev.dripline.compliance.RegistrationGate.OFF);
    }

    /** @param gate the registration gates (DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION): a refused recipient is skipped */
    public Broadcasts(DynamoDbClient dynamo, String table, String holds, Audience audience, Contacts contacts, Supplier<Messages> messages,
                      MessageStore messageStore, Timers timers, Supplier<Tally> tally, Clock clock, String brand, int dailyCap,
                      dev.dripline.compliance.RegistrationGate gate) {
        this.store = new BroadcastStore(dynamo, table);
        this.holds = new JourneyStore(dynamo, holds);
        this.audience = new BroadcastAudience(audience);
        this.messages = messages;
        this.messageStore = messageStore;
        this.timers = timers;
        this.clock = clock;
        this.fanOut = new FanOut(store, this.holds, this.audience, contacts, messages, new FrequencyCap(this.holds, messageStore, dailyCap,
                dev.dripline.compliance.RulesTable.bundled(), gate),
                timers, tally, clock, brand);
    }

    /** Validates and stores a broadcast, and schedules its start. */
    public Broadcast create(BroadcastInput in) {
        messages.get().requireProvider();
        List<FieldError> errors = new ArrayList<>();
        SegmentFilter filter = null;
        try {
            filter = audience.filter(in.audience());
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        if (in.body() == null || in.body().isBlank()) {
            errors.add(new FieldError("body", "is required"));
        } else {
            if (in.body().length() > Messages.MAX_BODY) {
                errors.add(new FieldError("body", "has " + in.body().length() + " characters; at most " + Messages.MAX_BODY));
            }
            for (String unknown : new Template(in.body()).unknownVariables()) {
                errors.add(new FieldError("body", "uses {{" + unknown + "}}, which is not a variable (known: firstName, lastName, email, "
                        + "phone, country, timeZone, brand, attributes.<name>)"));
            }
            if (in.body().contains("{{event.")) {
                errors.add(new FieldError("body", "a broadcast has no event: {{event.*}} cannot be used"));
            }
        }
        Category category = in.category() == null ? Category.MARKETING : Category.fromWire(in.category());
        if (category == null) {
            errors.add(new FieldError("category", "must be marketing or transactional"));
        }
        LocalDateTime local = null;
        if (in.sendAtLocal() != null) {
            if (in.sendAt() != null) {
                errors.add(new FieldError("sendAtLocal", "give sendAt (one instant for everyone) or sendAtLocal (that wall-clock time in each recipient's zone), not both"));
            }
            try {
                local = LocalDateTime.parse(in.sendAtLocal());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("sendAtLocal", "'" + in.sendAtLocal() + "' is not a local date-time such as 2026-11-23T10:00"));
            }
        }
        String cap = in.frequencyCap() == null ? "skip" : in.frequencyCap().toLowerCase(Locale.ROOT);
        if (!cap.equals("skip") && !cap.equals("defer")) {
            errors.add(new FieldError("frequencyCap", "must be skip or defer"));
        }
        String topic = null;
        try {
            topic = messages.get().topic(in.topic(), category == null ? Category.MARKETING : category, "topic");
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        if (in.name() != null && in.name().length() > 200) {
            errors.add(new FieldError("name", "has more than 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        Instant now = clock.instant();
        String id = Ids.next("bc", clock);
        // With local times, the first recipients are where the day starts first (UTC+14).
        Instant start = local != null ? local.atOffset(ZoneOffset.ofHours(14)).toInstant()
                : in.sendAt() != null ? in.sendAt() : now;
        if (start.isBefore(now)) {
            start = now;
        }
        Long size = audience.count(filter);
        // Media is checked now (uploaded ids exist, at most 10, the fallback a known one), kept as given, resolved per recipient.
        messages.get().checkMedia(in.media(), in.mediaFallback());
        store.create(id, in.name() == null ? "Broadcast " + id : in.name(), in.audience(), in.body(), category, cap.equals("defer"), start,
                in.sendAt(), local, size, now, topic, in.media(), in.mediaFallback());
        timers.at("bc-" + id, start, new Due.BroadcastPage(id, null));
        LOG.info("broadcast {} to {} contacts from {}", id, size == null ? "?" : size, start);
        return get(id);
    }

    /** Cancels a broadcast that has not finished: pages and releases still to come send nothing. */
    public Broadcast cancel(String id) {
        if (stored(id).status() == BroadcastStatus.DONE) {
            throw new Conflict("broadcast " + id + " has finished");
        }
        store.cancel(id);
        timers.cancel("bc-" + id);
        return get(id);
    }

    public Broadcast get(String id) {
        return stored(id).view();
    }

    /**
     * What became of one recipient of a broadcast: {@code sent} (its message made; see
     * {@code GET /v1/messages/{messageId}}), {@code held} by a jurisdiction's cap rule until
     * {@code heldUntil} ({@code heldBy}), {@code skipped} (opted out, capped with skip, or {@code unregistered_sender}: a registration gate refused the sender), or
     * {@code pending} (not reached yet, or held by quiet hours).
     */
    public record Recipient(String broadcastId, String contactId, String status, String messageId, Instant heldUntil,
                            JourneyStore.CapHold heldBy, String reason) {
    }

    public Recipient recipient(String id, String contactId) {
        stored(id);
        String messageId = messageId(id, contactId);
        if (messageStore.get(messageId).isPresent()) {
            return new Recipient(id, contactId, "sent", messageId, null, null, null);
        }
        if (holds.marked(id, FanOut.Mark.SKIPPED_OPTED_OUT.wire, contactId)) {
            return new Recipient(id, contactId, "skipped", null, null, null, "opted_out");
        }
        if (holds.marked(id, FanOut.Mark.SKIPPED_CAPPED.wire, contactId)) {
            return new Recipient(id, contactId, "skipped", null, null, null, "capped");
        }
        if (holds.marked(id, FanOut.Mark.SKIPPED_UNREGISTERED.wire, contactId)) {
            return new Recipient(id, contactId, "skipped", null, null, null, "unregistered_sender");
        }
        Optional<JourneyStore.CapHold> hold = holds.capHold(id, contactId);
        if (hold.isPresent() && hold.get().until().isAfter(clock.instant().minusSeconds(60))) {
            return new Recipient(id, contactId, "held", null, hold.get().until(), hold.get(), "capped");
        }
        return new Recipient(id, contactId, "pending", null, null, null, null);
    }

    private BroadcastStore.Stored stored(String id) {
        return store.find(id).orElseThrow(() -> new NotFound("broadcast", id));
    }

    /** {@code GET /v1/broadcasts}: every broadcast, a page at a time (a bounded Scan per request; table order). */
    public Page<Broadcast> list(int limit, String cursor) {
        return store.page(limit, cursor);
    }

    // ---------------------------------------------------------------- after a restart

    /** Every broadcast's id (a scan: for start-up and operator commands, never a request path). */
    public List<String> ids() {
        return store.ids();
    }

    /**
     * Arms again what a runtime whose schedules and queue lived in its memory lost when it
     * stopped: the start of each broadcast still scheduled, the fan-out of each one that was
     * sending (from its first page: every recipient is handled once however often a page runs),
     * and the release of every hold list still waiting. Returns how many broadcasts and hold
     * lists were resumed.
     */
    public int resumeUnfinished() {
        int resumed = 0;
        for (String id : ids()) {
            BroadcastStore.Stored head = stored(id);
            if (head.status() == BroadcastStatus.SCHEDULED) {
                timers.at("bc-" + id, head.startAt(), new Due.BroadcastPage(id, null));
                resumed++;
            } else if (head.status() == BroadcastStatus.SENDING) {
                timers.now(new Due.BroadcastPage(id, null));
                resumed++;
            }
        }
        for (JourneyStore.Pending p : holds.pending()) {
            if (p instanceof JourneyStore.Pending.Release release) {
                fanOut.scheduleRelease(release.broadcastId(), release.at());
                resumed++;
            }
        }
        return resumed;
    }

    /**
     * Raises the fan-out's counts that records can prove (queued: the broadcast's messages;
     * skippedOptedOut and skippedCapped: the skip marks) to those records, after a crash between a
     * recipient's write and the page's count; never lowers them (records expire, counts stay).
     * True if a count was short.
     */
    public boolean recount(String id) {
        Broadcast before = get(id);
        long queued = Math.max(before.counts().get("queued"), messageStore.scanOrigin(null, id).size());
        long optedOut = Math.max(before.counts().get("skippedOptedOut"), holds.marks(id, FanOut.Mark.SKIPPED_OPTED_OUT.wire));
        long capped = Math.max(before.counts().get("skippedCapped"), holds.marks(id, FanOut.Mark.SKIPPED_CAPPED.wire));
        if (before.counts().get("queued") == queued && before.counts().get("skippedOptedOut") == optedOut
                && before.counts().get("skippedCapped") == capped) {
            return false;
        }
        store.setCounts(id, queued, optedOut, capped);
        LOG.info("broadcast {}: counts recounted from its records (queued {} → {})", id, before.counts().get("queued"), queued);
        return true;
    }

    // ---------------------------------------------------------------- fan-out

    /** One page of the audience: send now, hold for later, or skip, each recipient once. */
    public void onPage(Due.BroadcastPage page) {
        fanOut.onPage(page);
    }

    /** Held recipients whose minute came: sent now (consent and caps checked again), a page per invocation. */
    public void onRelease(Due.BroadcastRelease release) {
        fanOut.onRelease(release);
    }

    /** The one message a broadcast sends a contact: the same id however often its page runs. */
    public static String messageId(String broadcastId, String contactId) {
        return "msg_" + digest(broadcastId + "|" + contactId).substring(0, 26);
    }

    static String digest(String s) {
        return Hmac.sha256Hex(s);
    }
}
