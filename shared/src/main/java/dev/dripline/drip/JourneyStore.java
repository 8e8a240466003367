package dev.dripline.drip;

import dev.dripline.json.Json;
import dev.dripline.store.TableShape;
import dev.dripline.store.Transaction;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The journeys table, keyed by contact so that everything the engine asks about one contact is
 * one Query: its enrolments ({@code sk = E#<campaign>}, or {@code E#<campaign>#K#<key digest>} for
 * a keyed trigger's runs, one per key value), its events ({@code V#<name>#<time>#<id>},
 * kept 400 days), its frequency-cap counters ({@code C#<local day>}, kept 3 days), its recent marketing sends for the jurisdictions' caps
 * ({@code W#}, kept past the longest cap window), its segment
 * memberships ({@code S#<segment>}). Contacts held by a paused campaign are listed under
 * {@code pk = H#<campaign>}; a broadcast's hold lists under {@code pk = B#<broadcast>#<release
 * epoch second>#<shard>} ({@link #HOLD_SHARDS} keys per release minute) and its skip marks under
 * {@code pk = B#<broadcast>#<mark>}. This class is the
 * only code that knows the table's keys: the drip engine, broadcasts and recovery call it.
 */
public final class JourneyStore {

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "pk", "sk", List.of(), "expiresAt");
    }

    private static final String ENROLMENT = "E#";
    private static final String EVENT = "V#";
    private static final String CAP = "C#";
    private static final String SEND_LOG = "W#";
    private static final String MEMBER = "S#";
    private static final String CAMPAIGN_HOLD = "H#";
    private static final String BROADCAST = "B#";
    private static final String MESSAGE_PART = "message";
    private static final String CAP_PART = "cap";
    private static final String LOG_PART = "sendLog";

    private final DynamoDbClient dynamo;
    private final String table;

    public JourneyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    public Optional<Enrolment> enrolment(String contactId, String campaignId) {
        return enrolment(contactId, campaignId, null);
    }

    /** The run of a keyed trigger for one key value ({@code key} null: the campaign's one run). */
    public Optional<Enrolment> enrolment(String contactId, String campaignId, String key) {
        String slot = RunIds.slot(campaignId, key);
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(contactId, ENROLMENT + slot)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(decode(item));
    }

    /** Every enrolment of a contact, running or ended. */
    public List<Enrolment> enrolments(String contactId) {
        List<Enrolment> out = new ArrayList<>();
        query(contactId, ENROLMENT, null, null).forEach(i -> out.add(decode(i)));
        return out;
    }

    /**
     * Writes an enrolment if the stored one is still at {@code expectedToken} (0: none stored,
     * or one that ended, for a new run). False: someone moved it first, nothing written.
     */
    public boolean write(Enrolment e, long expectedToken) {
        try {
            Put p = expectedPut(e, expectedToken);
            dynamo.putItem(r -> r.tableName(p.tableName()).item(p.item()).conditionExpression(p.conditionExpression())
                    .expressionAttributeNames(p.expressionAttributeNames()).expressionAttributeValues(p.expressionAttributeValues()));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    /** The put with its condition, for a transaction that must also write something else. */
    Put expectedPut(Enrolment e, long expectedToken) {
        Put.Builder put = Put.builder().tableName(table).item(encode(e))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.NONE);
        if (expectedToken == 0) {
            // A new run: no enrolment yet, or the last run ended (never two runs at once).
            put.conditionExpression("attribute_not_exists(pk) OR (#state <> :active AND enrolmentId <> :id)")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":active", s("active"), ":id", s(e.enrolmentId())));
        } else {
            put.conditionExpression("#token = :t AND enrolmentId = :id")
                    .expressionAttributeNames(Map.of("#token", "token"))
                    .expressionAttributeValues(Map.of(":t", n(expectedToken), ":id", s(e.enrolmentId())));
        }
        return put.build();
    }

    /** Records an event once per id; false when it was recorded before. */
    public boolean recordEvent(String contactId, String name, Instant occurredAt, String eventId, Map<String, Object> properties) {
        Map<String, AttributeValue> item = new HashMap<>(key(contactId, EVENT + name + "#" + occurredAt + "#" + eventId));
        item.put("properties", s(Json.write(properties == null ? Map.of() : properties)));
        item.put("expiresAt", n(occurredAt.plusSeconds(400L * 86_400).getEpochSecond()));
        try {
            dynamo.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException seen) {
            return false;
        }
    }

    /** Whether the contact had an event of that name in [from, to]. */
    public boolean hadEvent(String contactId, String name, Instant from, Instant to) {
        return !query(contactId, EVENT + name + "#", EVENT + name + "#" + from, EVENT + name + "#" + to + "~").isEmpty();
    }

    /**
     * A contact's recent marketing sends, for the jurisdictions' rolling-window caps
     * ({@code sk = W#}): the instants, and the version a write of the next log is conditional on
     * (0: none stored).
     */
    public record SendLog(List<Instant> sent, long version, Instant expiresAt) {
        /** The log after a send at {@code now}: {@code kept} and now, kept past the longest window. */
        SendLog after(Instant now, List<Instant> kept, java.time.Duration longest) {
            List<Instant> next = new ArrayList<>(kept);
            next.add(now);
            return new SendLog(List.copyOf(next), version + 1, now.plus(longest).plusSeconds(86_400));
        }
    }

    /** The contact's send log, read consistently (empty, version 0, when none is stored). */
    SendLog sendLog(String contactId) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(contactId, SEND_LOG)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return new SendLog(List.of(), 0, null);
        }
        List<Instant> sent = item.get("sent").l().stream().map(v -> Instant.ofEpochSecond(Long.parseLong(v.n()))).toList();
        return new SendLog(sent, Long.parseLong(item.get("v").n()), null);
    }

    /**
     * Creates a message (its conditional put, from the message store) and, when {@code day} is
     * given, counts it on the contact's day unless that made more than {@code cap}, and, when
     * {@code log} is given, writes the contact's send log if it is still at the version read:
     * one transaction, so a message is never counted without being made, nor made past a cap.
     *
     * @return the outcome, or null when the send log moved meanwhile (read it again)
     */
    FrequencyCap.Outcome createCounted(Put message, String contactId, LocalDate day, int cap, Instant now, SendLog log) {
        Transaction t = Transaction.of().put(MESSAGE_PART, message);
        if (day != null) {
            t.update(CAP_PART, Update.builder().tableName(table).key(key(contactId, CAP + day))
                    .updateExpression("ADD sent :one SET expiresAt = if_not_exists(expiresAt, :exp)")
                    .conditionExpression("attribute_not_exists(sent) OR sent < :cap")
                    .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(cap), ":exp", n(now.plusSeconds(3 * 86_400).getEpochSecond())))
                    .build());
        }
        if (log != null) {
            Map<String, AttributeValue> item = new HashMap<>(key(contactId, SEND_LOG));
            item.put("sent", AttributeValue.fromL(log.sent().stream().map(i -> n(i.getEpochSecond())).toList()));
            item.put("v", n(log.version()));
            item.put("expiresAt", n(log.expiresAt().getEpochSecond()));
            Put.Builder put = Put.builder().tableName(table).item(item);
            if (log.version() == 1) {
                put.conditionExpression("attribute_not_exists(pk)");
            } else {
                put.conditionExpression("v = :read").expressionAttributeValues(Map.of(":read", n(log.version() - 1)));
            }
            t.put(LOG_PART, put.build());
        }
        Transaction.Outcome outcome = t.write(dynamo);
        if (outcome.committed()) {
            return FrequencyCap.Outcome.CREATED;
        }
        if (outcome.refused(MESSAGE_PART)) {
            return FrequencyCap.Outcome.ALREADY_CREATED;
        }
        if (outcome.refused(CAP_PART)) {
            return FrequencyCap.Outcome.CAPPED;
        }
        if (outcome.refused(LOG_PART) || (log != null && outcome.conflicted())) {
            return null;
        }
        throw new IllegalStateException("message and frequency count contended (" + outcome + "); the work is delivered again");
    }

    public int sentOn(String contactId, LocalDate day) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(contactId, CAP + day)).consistentRead(true)).item();
        return item == null || !item.containsKey("sent") ? 0 : Integer.parseInt(item.get("sent").n());
    }

    /** Whether the contact was in the segment when last looked at (a segment trigger fires on entering). */
    public boolean member(String contactId, String segmentId) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(contactId, MEMBER + segmentId)).consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    public void join(String contactId, String segmentId) {
        dynamo.putItem(p -> p.tableName(table).item(key(contactId, MEMBER + segmentId)));
    }

    public void leave(String contactId, String segmentId) {
        dynamo.deleteItem(d -> d.tableName(table).key(key(contactId, MEMBER + segmentId)));
    }

    public void hold(String campaignId, String contactId) {
        dynamo.putItem(p -> p.tableName(table).item(key(CAMPAIGN_HOLD + campaignId, contactId)));
    }

    /** Holds a run while its campaign is paused; a keyed run is listed with its key. */
    void hold(Enrolment e) {
        Map<String, AttributeValue> item = new HashMap<>(key(CAMPAIGN_HOLD + e.campaignId(), heldEntry(e)));
        if (e.key() != null) {
            item.put("key", s(e.key()));
        }
        dynamo.putItem(p -> p.tableName(table).item(item));
    }

    /** The run a hold list's entry ({@link #held}) stands for. */
    Optional<Enrolment> heldRun(String campaignId, String entry) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(CAMPAIGN_HOLD + campaignId, entry)).consistentRead(true)).item();
        String key = item != null && item.containsKey("key") ? item.get("key").s() : null;
        int cut = entry.indexOf("#K#");
        return enrolment(cut < 0 ? entry : entry.substring(0, cut), campaignId, key);
    }

    private static String heldEntry(Enrolment e) {
        return e.key() == null ? e.contactId() : e.contactId() + RunIds.slot("", e.key());
    }

    /** The contacts a paused campaign holds, a page at a time; each is removed by {@link #release}. */
    public List<String> held(String campaignId, int limit) {
        QueryResponse r = dynamo.query(q -> q.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(CAMPAIGN_HOLD + campaignId))).limit(limit));
        return r.items().stream().map(i -> i.get("sk").s()).toList();
    }

    public void release(String campaignId, String contactId) {
        dynamo.deleteItem(d -> d.tableName(table).key(key(CAMPAIGN_HOLD + campaignId, contactId)));
    }

    // ---------------------------------------------------------------- broadcast hold lists and marks

    /**
     * How many partition keys one release minute's hold list is spread over: a recipient's key is
     * {@code B#<broadcast>#<release>#<hash(contact id) mod k>}. DynamoDB takes at most 1,000 write
     * units a second on one partition key; a fan-out of a big audience outside its window holds
     * several thousand recipients a second, all for the same minute. With 8 keys each takes an
     * eighth (a fan-out at 6,400 holds/s stays under 800 a key). The release reads the 8 keys
     * (and the unsharded key that holds written before the split used). Fixed: a different k
     * would no longer find the holds already written.
     */
    public static final int HOLD_SHARDS = 8;

    /** A recipient on a broadcast's hold list and why (the broadcast's own words); {@code list}: the key it is held under. */
    public record Held(String contactId, String reason, String list) {

        public Held(String contactId, String reason) {
            this(contactId, reason, null);
        }
    }

    /** A page of a hold list; {@code more}: another page follows. */
    public record HeldPage(List<Held> items, boolean more) {
    }

    /** The hold list key of a recipient: its release minute's shard. */
    static String holdList(String broadcastId, long release, String contactId) {
        return BROADCAST + broadcastId + "#" + release + "#" + Math.floorMod(contactId.hashCode(), HOLD_SHARDS);
    }

    /** Puts the contact on the broadcast's hold list of a release minute; false if it was there already. */
    public boolean holdForRelease(String broadcastId, long release, String contactId, String reason) {
        return putNew(Map.of("pk", s(holdList(broadcastId, release, contactId)), "sk", s(contactId), "reason", s(reason),
                "expiresAt", n(release + 30L * 86_400)));
    }

    /** A broadcast recipient held by a jurisdiction's cap rule: until when, and the rule (id, jurisdiction, source). */
    public record CapHold(Instant until, String id, String jurisdiction, String source) {
    }

    /**
     * Remembers which cap rule holds a broadcast's recipient and until when, readable by contact
     * ({@link #capHold}); overwritten by a later hold of the same recipient, expiring with it.
     */
    public void rememberCapHold(String broadcastId, String contactId, CapHold hold) {
        dynamo.putItem(p -> p.tableName(table).item(Map.of("pk", s(BROADCAST + broadcastId + "#cap-hold"), "sk", s(contactId),
                "until", s(hold.until().toString()), "rule", s(hold.id()), "jurisdiction", s(hold.jurisdiction()),
                "source", s(hold.source()), "expiresAt", n(hold.until().getEpochSecond() + 30L * 86_400))));
    }

    /** The cap rule that last held a broadcast's recipient, if any. */
    public java.util.Optional<CapHold> capHold(String broadcastId, String contactId) {
        Map<String, AttributeValue> i = dynamo.getItem(g -> g.tableName(table).key(key(BROADCAST + broadcastId + "#cap-hold", contactId))
                .consistentRead(true)).item();
        if (i == null || i.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new CapHold(Instant.parse(i.get("until").s()), i.get("rule").s(), i.get("jurisdiction").s(),
                i.get("source").s()));
    }

    /** Whether a broadcast's recipient carries a mark ({@link #markOnce}). */
    public boolean marked(String broadcastId, String what, String contactId) {
        Map<String, AttributeValue> i = dynamo.getItem(g -> g.tableName(table).key(key(BROADCAST + broadcastId + "#" + what, contactId))
                .consistentRead(true)).item();
        return i != null && !i.isEmpty();
    }

    /** Up to {@code limit} recipients held for a release minute, read from its {@link #HOLD_SHARDS} keys (and the older unsharded one). */
    public HeldPage heldForRelease(String broadcastId, long release, int limit) {
        List<Held> held = new ArrayList<>();
        boolean more = false;
        List<String> lists = new ArrayList<>();
        lists.add(BROADCAST + broadcastId + "#" + release);
        for (int shard = 0; shard < HOLD_SHARDS; shard++) {
            lists.add(BROADCAST + broadcastId + "#" + release + "#" + shard);
        }
        for (String list : lists) {
            int room = limit - held.size();
            if (room <= 0) {
                more = true;
                break;
            }
            QueryResponse r = dynamo.query(q -> q.tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(list))).limit(room).consistentRead(true));
            r.items().forEach(i -> held.add(new Held(i.get("sk").s(), i.containsKey("reason") ? i.get("reason").s() : null, list)));
            more |= r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty();
        }
        return new HeldPage(held, more);
    }

    /** Takes a recipient off the hold list it was read from. */
    public void releaseHeld(String broadcastId, long release, Held held) {
        String list = held.list() != null ? held.list() : holdList(broadcastId, release, held.contactId());
        dynamo.deleteItem(d -> d.tableName(table).key(key(list, held.contactId())));
    }

    public void releaseHeld(String broadcastId, long release, String contactId) {
        releaseHeld(broadcastId, release, new Held(contactId, null));
    }

    /** Marks something that happened to a broadcast's recipient once (a skip); false if it was marked before. */
    public boolean markOnce(String broadcastId, String what, String contactId, Instant now) {
        return putNew(Map.of("pk", s(BROADCAST + broadcastId + "#" + what), "sk", s(contactId),
                "expiresAt", n(now.getEpochSecond() + 90L * 86_400)));
    }

    /** How many recipients of a broadcast carry a mark. */
    public long marks(String broadcastId, String what) {
        long count = 0;
        for (var page : dynamo.queryPaginator(q -> q.tableName(table).keyConditionExpression("pk = :pk").select("COUNT")
                .expressionAttributeValues(Map.of(":pk", s(BROADCAST + broadcastId + "#" + what))).consistentRead(true))) {
            count += page.count();
        }
        return count;
    }

    private boolean putNew(Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException already) {
            return false;
        }
    }

    // ---------------------------------------------------------------- after a restart

    /** Work the table says is pending: a running enrolment's next step, a broadcast's release minute. */
    public sealed interface Pending {
        record Step(Enrolment enrolment) implements Pending {
        }

        record Release(String broadcastId, long at) implements Pending {
        }
    }

    /**
     * Every pending piece of work, each release minute once (a scan: the local runtime's
     * restart, never a request's path).
     */
    public List<Pending> pending() {
        List<Pending> out = new ArrayList<>();
        Set<String> releases = new HashSet<>();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(r -> r.tableName(table)).items()) {
            String pk = item.get("pk").s();
            String sk = item.get("sk").s();
            if (sk.startsWith(ENROLMENT)) {
                Enrolment e = decode(item);
                if (e.active()) {
                    out.add(new Pending.Step(e));
                }
            } else if (pk.startsWith(BROADCAST) && releases.add(pk.split("#").length == 4 ? pk.substring(0, pk.lastIndexOf('#')) : pk)) {
                String[] parts = pk.split("#");
                if ((parts.length == 3 || parts.length == 4 && parts[3].matches("\\d+")) && parts[2].matches("\\d+")) {
                    out.add(new Pending.Release(parts[1], Long.parseLong(parts[2])));
                }
            }
        }
        return out;
    }

    private List<Map<String, AttributeValue>> query(String pk, String prefix, String from, String to) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).consistentRead(true);
            if (from == null) {
                q.keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                        .expressionAttributeValues(Map.of(":pk", s(pk), ":p", s(prefix)));
            } else {
                q.keyConditionExpression("pk = :pk AND sk BETWEEN :a AND :b")
                        .expressionAttributeValues(Map.of(":pk", s(pk), ":a", s(from), ":b", s(to)));
            }
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = dynamo.query(q.build());
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    static Map<String, AttributeValue> encode(Enrolment e) {
        Map<String, AttributeValue> item = new HashMap<>(EnrolmentItem.attributes(e));
        item.putAll(key(e.contactId(), ENROLMENT + RunIds.slot(e.campaignId(), e.key())));
        return item;
    }

    static Enrolment decode(Map<String, AttributeValue> i) {
        return EnrolmentItem.decode(i.get("pk").s(), i);
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
