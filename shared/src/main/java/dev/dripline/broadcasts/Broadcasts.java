package dev.dripline.broadcasts;

import dev.dripline.Ids;
import dev.dripline.analytics.Tally;
import dev.dripline.audience.Audience;
import dev.dripline.audience.SegmentFilter;
import dev.dripline.compliance.QuietHours;
import dev.dripline.compliance.QuietHours.Jurisdiction;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.drip.Template;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.json.Json;
import dev.dripline.logging.Masked;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStore;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.Origin;
import dev.dripline.messaging.Sender;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import dev.dripline.webhooks.Hmac;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

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
 */
public final class Broadcasts {

    private static final Logger LOG = LoggerFactory.getLogger(Broadcasts.class);
    static final int PAGE = 200;
    private static final String HEAD = "head";
    /** Why a recipient is on a hold list (the hold item's {@code reason}). */
    private static final String QUIET_HOURS = "quietHours";
    private static final String CAPPED = "capped";

    /** A broadcast as the API shows it. */
    public record Broadcast(String id, String name, String status, Object audience, String body, Category category, Instant sendAt,
                            LocalDateTime sendAtLocal, Long audienceSize, Map<String, Long> counts, Instant createdAt) {
    }

    /** {@code POST /v1/broadcasts}. */
    public record BroadcastInput(String name, Map<String, Object> audience, String body, String category, Instant sendAt,
                                 String sendAtLocal, String frequencyCap) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final String holds;
    private final Audience audience;
    private final Contacts contacts;
    private final Supplier<Messages> messages;
    private final MessageStore messageStore;
    private final Timers timers;
    private final Supplier<Tally> tally;
    private final Clock clock;
    private final String brand;
    private final int dailyCap;
    private final dev.dripline.drip.JourneyStore journeys;

    /**
     * @param table the campaigns table (a broadcast is a head item there, {@code id = bc_...})
     * @param holds the journeys table: hold lists ({@code B#<id>#<epoch second>}), skip marks, frequency caps
     */
    public Broadcasts(DynamoDbClient dynamo, String table, String holds, Audience audience, Contacts contacts, Supplier<Messages> messages,
                      MessageStore messageStore, Timers timers, Supplier<Tally> tally, Clock clock, String brand, int dailyCap) {
        this.dynamo = dynamo;
        this.table = table;
        this.holds = holds;
        this.audience = audience;
        this.contacts = contacts;
        this.messages = messages;
        this.messageStore = messageStore;
        this.timers = timers;
        this.tally = tally;
        this.clock = clock;
        this.brand = brand;
        this.dailyCap = dailyCap;
        this.journeys = new dev.dripline.drip.JourneyStore(dynamo, holds);
    }

    /** Validates and stores a broadcast, and schedules its start. */
    public Broadcast create(BroadcastInput in) {
        messages.get().requireProvider();
        List<FieldError> errors = new ArrayList<>();
        SegmentFilter filter = null;
        try {
            filter = filter(in.audience());
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
        if (in.name() != null && in.name().length() > 200) {
            errors.add(new FieldError("name", "has more than 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        Instant now = clock.instant();
        String id = Ids.next("bc", clock);
        // With local times, the first recipients are where the day starts first (UTC+14).
        Instant start = local != null ? local.atOffset(java.time.ZoneOffset.ofHours(14)).toInstant()
                : in.sendAt() != null ? in.sendAt() : now;
        if (start.isBefore(now)) {
            start = now;
        }
        Long size = count(filter);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(id));
        item.put("sk", s(HEAD));
        item.put("kind", s("broadcast"));
        item.put("name", s(in.name() == null ? "Broadcast " + id : in.name()));
        item.put("status", s("scheduled"));
        item.put("audience", s(Json.write(in.audience())));
        item.put("body", s(in.body()));
        item.put("category", s(category.wire()));
        item.put("capPolicy", s(cap));
        item.put("startAt", s(start.toString()));
        if (in.sendAt() != null) {
            item.put("sendAt", s(in.sendAt().toString()));
        }
        if (local != null) {
            item.put("sendAtLocal", s(local.toString()));
        }
        if (size != null) {
            item.put("audienceSize", n(size));
        }
        item.put("createdAt", s(now.toString()));
        dynamo.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(id)"));
        timers.at("bc-" + id, start, new Due.BroadcastPage(id, null));
        LOG.info("broadcast {} to {} contacts from {}", id, size == null ? "?" : size, start);
        return get(id);
    }

    /** Cancels a broadcast that has not finished: pages and releases still to come send nothing. */
    public Broadcast cancel(String id) {
        Broadcast b = get(id);
        if (b.status().equals("done")) {
            throw new Conflict("broadcast " + id + " has finished");
        }
        dynamo.updateItem(u -> u.tableName(table).key(key(id)).updateExpression("SET #s = :c")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":c", s("cancelled"))));
        timers.cancel("bc-" + id);
        return get(id);
    }

    public Broadcast get(String id) {
        Map<String, AttributeValue> item = id == null || !id.startsWith("bc_") ? null
                : dynamo.getItem(g -> g.tableName(table).key(key(id)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            throw new NotFound("broadcast", id);
        }
        return toBroadcast(item);
    }

    /**
     * {@code GET /v1/broadcasts}: every broadcast, a page at a time: a paged Scan of the campaigns
     * table's head items with {@code kind = broadcast} (bounded per request; table order).
     */
    public dev.dripline.store.Page<Broadcast> list(int limit, String cursor) {
        return dev.dripline.store.PagedRead.page("broadcasts", java.util.Set.of("id", "sk"), limit, cursor, start -> {
            var scan = software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder().tableName(table)
                    .filterExpression("sk = :h AND kind = :b").expressionAttributeValues(Map.of(":h", s(HEAD), ":b", s("broadcast")))
                    .limit(dev.dripline.store.PagedRead.READ);
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            return dev.dripline.store.PagedRead.Batch.of(dynamo.scan(scan.build()));
        }, Broadcasts::toBroadcast);
    }

    private static Broadcast toBroadcast(Map<String, AttributeValue> item) {
        String id = item.get("id").s();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String c : List.of("queued", "held", "released", "skippedOptedOut", "skippedCapped", "deferredQuietHours", "deferredCapped",
                "releasedQuietHours")) {
            counts.put(c, item.containsKey(c) ? Long.parseLong(item.get(c).n()) : 0L);
        }
        return new Broadcast(id, item.get("name").s(), item.get("status").s(), Json.read(item.get("audience").s(), Object.class),
                item.get("body").s(), Category.fromWire(item.get("category").s()),
                item.containsKey("sendAt") ? Instant.parse(item.get("sendAt").s()) : null,
                item.containsKey("sendAtLocal") ? LocalDateTime.parse(item.get("sendAtLocal").s()) : null,
                item.containsKey("audienceSize") ? Long.parseLong(item.get("audienceSize").n()) : null, counts,
                Instant.parse(item.get("createdAt").s()));
    }

    // ---------------------------------------------------------------- after a restart

    /** Every broadcast's id (a scan: for start-up and operator commands, never a request path). */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true).filterExpression("kind = :b AND sk = :head")
                        .expressionAttributeValues(Map.of(":b", s("broadcast"), ":head", s(HEAD))))
                .items().forEach(i -> ids.add(i.get("id").s()));
        return ids;
    }

    /**
     * Arms again what a runtime whose schedules and queue lived in its memory lost when it
     * stopped: the start of each broadcast still scheduled, and the fan-out of each one that was
     * sending (from its first page: every recipient is handled once however often a page runs).
     * Returns how many broadcasts were resumed.
     */
    public int resumeUnfinished() {
        int resumed = 0;
        for (String id : ids()) {
            Map<String, AttributeValue> head = dynamo.getItem(g -> g.tableName(table).key(key(id)).consistentRead(true)).item();
            String status = head.get("status").s();
            if (status.equals("scheduled")) {
                timers.at("bc-" + id, Instant.parse(head.get("startAt").s()), new Due.BroadcastPage(id, null));
                resumed++;
            } else if (status.equals("sending")) {
                timers.now(new Due.BroadcastPage(id, null));
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
        long optedOut = Math.max(before.counts().get("skippedOptedOut"), marks(id, "skip-optout"));
        long capped = Math.max(before.counts().get("skippedCapped"), marks(id, "skip-cap"));
        if (before.counts().get("queued") == queued && before.counts().get("skippedOptedOut") == optedOut
                && before.counts().get("skippedCapped") == capped) {
            return false;
        }
        dynamo.updateItem(u -> u.tableName(table).key(key(id)).updateExpression("SET queued = :q, skippedOptedOut = :o, skippedCapped = :c")
                .expressionAttributeValues(Map.of(":q", n(queued), ":o", n(optedOut), ":c", n(capped))));
        LOG.info("broadcast {}: counts recounted from its records (queued {} → {})", id, before.counts().get("queued"), queued);
        return true;
    }

    private long marks(String id, String what) {
        long n = 0;
        for (var page : dynamo.queryPaginator(q -> q.tableName(holds).keyConditionExpression("pk = :pk").select("COUNT")
                .expressionAttributeValues(Map.of(":pk", s("B#" + id + "#" + what))).consistentRead(true))) {
            n += page.count();
        }
        return n;
    }

    /** {@code {tags: [..]}} (all of them), {@code {anyTags: [..]}}, or {@code {segmentId}}. */
    SegmentFilter filter(Map<String, Object> a) {
        if (a == null) {
            throw InvalidInput.of("audience", "is required: {tags: [...]}, {anyTags: [...]} or {segmentId}");
        }
        if (a.get("segmentId") instanceof String seg) {
            return SegmentFilter.parse(audience.segment(seg).filter());
        }
        boolean any = a.containsKey("anyTags");
        Object tags = any ? a.get("anyTags") : a.get("tags");
        if (tags instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(t -> t instanceof String s && !s.isBlank())) {
            List<SegmentFilter> parts = list.stream().map(t -> (SegmentFilter) new SegmentFilter.HasTag(((String) t).trim())).toList();
            return parts.size() == 1 ? parts.get(0) : any ? new SegmentFilter.Any(parts) : new SegmentFilter.All(parts);
        }
        throw InvalidInput.of("audience", "must be {tags: [...]}, {anyTags: [...]} or {segmentId}, with at least one tag");
    }

    /** The audience's size now, if it can be counted quickly (tag audiences; scans are counted as the broadcast runs). */
    private Long count(SegmentFilter filter) {
        if (!(filter instanceof SegmentFilter.HasTag)) {
            return null;
        }
        long n = 0;
        String cursor = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        do {
            Audience.Page page = audience.matching(filter, 500, cursor);
            n += page.items().size();
            cursor = page.nextCursor();
            if (System.nanoTime() > deadline) {
                return null;
            }
        } while (cursor != null);
        return n;
    }

    // ---------------------------------------------------------------- fan-out

    /** One page of the audience: send now, hold for later, or skip, each recipient once. */
    public void onPage(Due.BroadcastPage page) {
        Map<String, AttributeValue> head = dynamo.getItem(g -> g.tableName(table).key(key(page.broadcastId())).consistentRead(true)).item();
        if (head == null || head.isEmpty() || "cancelled".equals(head.get("status").s())) {
            return;
        }
        String id = page.broadcastId();
        if (page.cursor() == null) {
            setStatus(id, "sending");
        }
        SegmentFilter filter = filter(Json.read(head.get("audience").s(), Map.class));
        Audience.Page contactsPage = audience.matching(filter, PAGE, page.cursor());
        Settings settings = settings(head);
        Instant now = clock.instant();
        Map<String, Long> counts = new HashMap<>();
        List<String> ready = new ArrayList<>();
        Set<Long> releases = new LinkedHashSet<>();
        for (Contact c : contactsPage.items()) {
            Optional<Instant> when = eligible(id, c, settings, now, counts);
            if (when.isEmpty()) {
                continue;
            }
            Instant at = when.get();
            if (!at.isAfter(now) || Duration.between(now, at).compareTo(Duration.ofSeconds(1)) < 0) {
                send(id, c, settings, now, counts).ifPresent(ready::add);
            } else {
                long release = at.truncatedTo(ChronoUnit.MINUTES).equals(at) ? at.getEpochSecond()
                        : at.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES).getEpochSecond();
                if (hold(id, release, c.id(), QUIET_HOURS)) {
                    count(counts, "held");
                    count(counts, "deferredQuietHours");
                }
                releases.add(release);
            }
        }
        for (long release : releases) {
            timers.at("bc-" + id + "-" + release, Instant.ofEpochSecond(release), new Due.BroadcastRelease(id, release));
        }
        messages.get().queueAll(ready);
        addCounts(id, counts);
        if (contactsPage.nextCursor() != null) {
            timers.now(new Due.BroadcastPage(id, contactsPage.nextCursor()));
        } else {
            setStatus(id, "fanned_out");
            LOG.info("broadcast {}: the whole audience was read", id);
        }
    }

    /** Held recipients whose minute came: sent now (consent and caps checked again), a page per invocation. */
    public void onRelease(Due.BroadcastRelease release) {
        String id = release.broadcastId();
        Map<String, AttributeValue> head = dynamo.getItem(g -> g.tableName(table).key(key(id)).consistentRead(true)).item();
        if (head == null || head.isEmpty() || "cancelled".equals(head.get("status").s())) {
            return;
        }
        Settings settings = settings(head);
        String pk = "B#" + id + "#" + release.releaseAt();
        QueryResponse r = dynamo.query(q -> q.tableName(holds).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk))).limit(PAGE).consistentRead(true));
        Instant now = clock.instant();
        Map<String, Long> counts = new HashMap<>();
        List<String> ready = new ArrayList<>();
        List<String> ids = r.items().stream().map(i -> i.get("sk").s()).toList();
        Map<String, String> reasons = new HashMap<>();
        r.items().forEach(i -> reasons.put(i.get("sk").s(), i.containsKey("reason") ? i.get("reason").s() : QUIET_HOURS));
        for (Contact c : contacts.get(ids)) {
            Optional<Instant> when = eligible(id, c, settings, now, counts);
            if (when.isPresent()) {
                if (when.get().isAfter(now.plusSeconds(59))) {
                    // Its zone's rules moved (a time zone set meanwhile): held again for the new opening.
                    long again = when.get().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES).getEpochSecond();
                    hold(id, again, c.id(), reasons.get(c.id()));
                    timers.at("bc-" + id + "-" + again, Instant.ofEpochSecond(again), new Due.BroadcastRelease(id, again));
                } else {
                    count(counts, "released");
                    if (send(id, c, settings, now, counts).map(ready::add).isPresent() && QUIET_HOURS.equals(reasons.get(c.id()))) {
                        // A deferral that ended in a send: no longer waiting on quiet hours.
                        count(counts, "releasedQuietHours");
                    }
                }
            }
        }
        messages.get().queueAll(ready);
        addCounts(id, counts);
        for (String contactId : ids) {
            dynamo.deleteItem(d -> d.tableName(holds).key(Map.of("pk", s(pk), "sk", s(contactId))));
        }
        if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
            timers.now(release);
        }
    }

    private record Settings(Template body, Category category, LocalDateTime sendAtLocal, boolean deferCapped) {
    }

    private static Settings settings(Map<String, AttributeValue> head) {
        return new Settings(new Template(head.get("body").s()), Category.fromWire(head.get("category").s()),
                head.containsKey("sendAtLocal") ? LocalDateTime.parse(head.get("sendAtLocal").s()) : null,
                head.containsKey("capPolicy") && "defer".equals(head.get("capPolicy").s()));
    }

    /**
     * When the recipient may get it (now or later), or empty if they may not at all (opted
     * out; marketing without opt-in), which is marked once and counted once.
     */
    private Optional<Instant> eligible(String id, Contact c, Settings settings, Instant now, Map<String, Long> counts) {
        boolean marketing = settings.category() == Category.MARKETING;
        if (c.consent() == ConsentStatus.OPTED_OUT || (marketing && c.consent() != ConsentStatus.OPTED_IN)) {
            if (mark(id, "skip-optout", c.id())) {
                count(counts, "skippedOptedOut");
                tally.get().add(Origin.broadcast(id), "skipped.optedOut", 1);
            }
            return Optional.empty();
        }
        List<ZoneId> zones = Sender.zones(Optional.of(c), c.phone());
        Instant at = now;
        if (settings.sendAtLocal() != null) {
            Instant local = settings.sendAtLocal().atZone(zone(c, zones)).toInstant();
            at = local.isAfter(now) ? local : now;
        }
        if (marketing) {
            at = QuietHours.nextAllowed(at, zones, Jurisdiction.of(c.country(), c.phone()));
        }
        return Optional.of(at);
    }

    /** Creates the recipient's message with its frequency-cap count; empty if it exists already or the cap skipped it. */
    private Optional<String> send(String id, Contact c, Settings settings, Instant now, Map<String, Long> counts) {
        String messageId = messageId(id, c.id());
        String body = settings.body().render(c, Map.of(), brand);
        Message m = messages.get().draft(c, messageId, body, settings.category(), Origin.broadcast(id), true);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(messageStore.createPut(m)).build());
        boolean marketing = settings.category() == Category.MARKETING;
        if (marketing) {
            writes.add(TransactWriteItem.builder().update(capIncrement(c, now)).build());
        }
        try {
            dynamo.transactWriteItems(t -> t.transactItems(writes));
        } catch (TransactionCanceledException cancelled) {
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            boolean exists = !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code());
            boolean capped = reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code());
            if (exists) {
                // A page delivered twice: queue it again (harmless), count nothing.
                return Optional.of(messageId);
            }
            if (capped) {
                if (settings.deferCapped()) {
                    long next = nextLocalDay(c, now).getEpochSecond();
                    if (hold(id, next, c.id(), CAPPED)) {
                        count(counts, "deferredCapped");
                        tally.get().add(Origin.broadcast(id), "deferred.capped", 1);
                    }
                    timers.at("bc-" + id + "-" + next, Instant.ofEpochSecond(next), new Due.BroadcastRelease(id, next));
                } else if (mark(id, "skip-cap", c.id())) {
                    count(counts, "skippedCapped");
                    tally.get().add(Origin.broadcast(id), "skipped.capped", 1);
                }
                return Optional.empty();
            }
            throw cancelled;
        }
        count(counts, "queued");
        tally.get().add(Origin.broadcast(id), "queued", 1);
        LOG.debug("broadcast {}: message {} to {}", id, messageId, Masked.phone(c.phone()));
        return Optional.of(messageId);
    }

    private Update capIncrement(Contact c, Instant now) {
        LocalDate day = now.atZone(zone(c, Sender.zones(Optional.of(c), c.phone()))).toLocalDate();
        return Update.builder().tableName(holds).key(Map.of("pk", s(c.id()), "sk", s("C#" + day)))
                .updateExpression("ADD sent :one SET expiresAt = if_not_exists(expiresAt, :exp)")
                .conditionExpression("attribute_not_exists(sent) OR sent < :cap")
                .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(dailyCap), ":exp", n(now.plusSeconds(3 * 86_400).getEpochSecond())))
                .build();
    }

    private Instant nextLocalDay(Contact c, Instant now) {
        ZoneId zone = zone(c, Sender.zones(Optional.of(c), c.phone()));
        return now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }

    private static ZoneId zone(Contact c, List<ZoneId> zones) {
        try {
            return c.timeZone() != null ? ZoneId.of(c.timeZone()) : zones.get(0);
        } catch (RuntimeException e) {
            return zones.get(0);
        }
    }

    /** Puts the contact on the hold list of a release minute; false if it was there already. */
    private boolean hold(String id, long release, String contactId, String reason) {
        try {
            dynamo.putItem(p -> p.tableName(holds).item(Map.of("pk", s("B#" + id + "#" + release), "sk", s(contactId),
                    "reason", s(reason == null ? QUIET_HOURS : reason),
                    "expiresAt", n(release + 30L * 86_400))).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException already) {
            return false;
        }
    }

    /** Marks something that happened to a recipient once (a skip); false if it was marked before. */
    private boolean mark(String id, String what, String contactId) {
        try {
            dynamo.putItem(p -> p.tableName(holds).item(Map.of("pk", s("B#" + id + "#" + what), "sk", s(contactId),
                    "expiresAt", n(clock.instant().getEpochSecond() + 90L * 86_400))).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException already) {
            return false;
        }
    }

    private void addCounts(String id, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> parts = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> c : counts.entrySet()) {
            parts.add(c.getKey() + " :v" + i);
            values.put(":v" + i, n(c.getValue()));
            i++;
        }
        dynamo.updateItem(u -> u.tableName(table).key(key(id)).updateExpression("ADD " + String.join(", ", parts))
                .expressionAttributeValues(values));
    }

    private void setStatus(String id, String status) {
        dynamo.updateItem(u -> u.tableName(table).key(key(id)).updateExpression("SET #s = :s")
                .conditionExpression("#s <> :cancelled")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s(status), ":cancelled", s("cancelled"))));
    }

    private static void count(Map<String, Long> counts, String name) {
        counts.merge(name, 1L, Long::sum);
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id), "sk", s(HEAD));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    /** The one message a broadcast sends a contact: the same id however often its page runs. */
    public static String messageId(String broadcastId, String contactId) {
        return "msg_" + digest(broadcastId + "|" + contactId).substring(0, 26);
    }

    static String digest(String s) {
        return Hmac.sha256Hex(s);
    }
}
