package dev.dripline.drip;

import dev.dripline.json.Json;
import dev.dripline.store.TableShape;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The journeys table, keyed by contact so that everything the engine asks about one contact is
 * one Query: its enrolments ({@code sk = E#<campaign>}), its events ({@code V#<name>#<time>#<id>},
 * kept 400 days), its frequency-cap counters ({@code C#<local day>}, kept 3 days). Contacts held
 * by a paused campaign are listed under {@code pk = H#<campaign>}.
 */
public final class JourneyStore {

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "pk", "sk", List.of(), "expiresAt");
    }

    private static final int HISTORY_KEPT = 50;

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
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(contactId, "E#" + campaignId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(decode(item));
    }

    /** Every enrolment of a contact, running or ended. */
    public List<Enrolment> enrolments(String contactId) {
        List<Enrolment> out = new ArrayList<>();
        query(contactId, "E#", null, null).forEach(i -> out.add(decode(i)));
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
        Map<String, AttributeValue> item = new HashMap<>(key(contactId, "V#" + name + "#" + occurredAt + "#" + eventId));
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
        return !query(contactId, "V#" + name + "#", "V#" + name + "#" + from, "V#" + name + "#" + to + "~").isEmpty();
    }

    /**
     * Counts one more marketing message on the contact's local day unless {@code cap} were
     * exceeded: the update for a transaction with the message's creation.
     */
    Update capIncrement(String contactId, LocalDate day, int cap, Instant now) {
        return Update.builder().tableName(table).key(key(contactId, "C#" + day))
                .updateExpression("ADD sent :one SET expiresAt = if_not_exists(expiresAt, :exp)")
                .conditionExpression("attribute_not_exists(sent) OR sent < :cap")
                .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(cap), ":exp", n(now.plusSeconds(3 * 86_400).getEpochSecond())))
                .build();
    }

    public int sentOn(String contactId, LocalDate day) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(contactId, "C#" + day)).consistentRead(true)).item();
        return item == null || !item.containsKey("sent") ? 0 : Integer.parseInt(item.get("sent").n());
    }

    /** Whether the contact was in the segment when last looked at (a segment trigger fires on entering). */
    public boolean member(String contactId, String segmentId) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(contactId, "S#" + segmentId)).consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    public void join(String contactId, String segmentId) {
        dynamo.putItem(p -> p.tableName(table).item(key(contactId, "S#" + segmentId)));
    }

    public void leave(String contactId, String segmentId) {
        dynamo.deleteItem(d -> d.tableName(table).key(key(contactId, "S#" + segmentId)));
    }

    public void hold(String campaignId, String contactId) {
        dynamo.putItem(p -> p.tableName(table).item(key("H#" + campaignId, contactId)));
    }

    /** The contacts a paused campaign holds, a page at a time; each is removed by {@link #release}. */
    public List<String> held(String campaignId, int limit) {
        QueryResponse r = dynamo.query(q -> q.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s("H#" + campaignId))).limit(limit));
        return r.items().stream().map(i -> i.get("sk").s()).toList();
    }

    public void release(String campaignId, String contactId) {
        dynamo.deleteItem(d -> d.tableName(table).key(key("H#" + campaignId, contactId)));
    }

    /** Every item, a page at a time (the local runtime's restart; never on a request's path). */
    public Iterable<Map<String, AttributeValue>> scanAll() {
        return dynamo.scanPaginator(r -> r.tableName(table)).items();
    }

    TransactWriteItem put(Put p) {
        return TransactWriteItem.builder().put(p).build();
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
        Map<String, AttributeValue> item = new HashMap<>(key(e.contactId(), "E#" + e.campaignId()));
        item.put("campaignId", s(e.campaignId()));
        item.put("enrolmentId", s(e.enrolmentId()));
        item.put("version", n(e.version()));
        item.put("state", s(e.state().wire()));
        if (e.stepId() != null) {
            item.put("stepId", s(e.stepId()));
        }
        item.put("token", n(e.token()));
        if (e.waiting() != null) {
            item.put("waiting", s(e.waiting()));
        }
        if (e.dueAt() != null) {
            item.put("dueAt", s(e.dueAt().toString()));
        }
        item.put("enteredAt", s(e.enteredAt().toString()));
        if (e.endedAt() != null) {
            item.put("endedAt", s(e.endedAt().toString()));
            item.put("endReason", s(e.endReason()));
        }
        item.put("runs", n(e.runs()));
        item.put("event", s(Json.write(e.event() == null ? Map.of() : e.event())));
        List<Enrolment.StepRecord> history = e.history() == null ? List.of() : e.history();
        if (history.size() > HISTORY_KEPT) {
            history = history.subList(history.size() - HISTORY_KEPT, history.size());
        }
        item.put("history", s(Json.write(history)));
        if (e.optOutShown()) {
            item.put("optOutShown", AttributeValue.fromBool(true));
        }
        if (e.lastSent() != null) {
            item.put("lastSent", s(Json.write(e.lastSent())));
        }
        return item;
    }

    @SuppressWarnings("unchecked")
    static Enrolment decode(Map<String, AttributeValue> i) {
        com.fasterxml.jackson.databind.ObjectMapper m = Json.mapper();
        List<Enrolment.StepRecord> history;
        try {
            history = List.of(m.readValue(i.get("history").s(), Enrolment.StepRecord[].class));
        } catch (Exception e) {
            throw new IllegalStateException("unreadable enrolment history", e);
        }
        return new Enrolment(i.get("pk").s(), i.get("campaignId").s(), i.get("enrolmentId").s(), Integer.parseInt(i.get("version").n()),
                Enrolment.State.valueOf(i.get("state").s().toUpperCase(java.util.Locale.ROOT)),
                i.containsKey("stepId") ? i.get("stepId").s() : null, Long.parseLong(i.get("token").n()),
                i.containsKey("waiting") ? i.get("waiting").s() : null,
                i.containsKey("dueAt") ? Instant.parse(i.get("dueAt").s()) : null, Instant.parse(i.get("enteredAt").s()),
                i.containsKey("endedAt") ? Instant.parse(i.get("endedAt").s()) : null,
                i.containsKey("endReason") ? i.get("endReason").s() : null, Integer.parseInt(i.get("runs").n()),
                Json.read(i.get("event").s(), Map.class), history,
                i.containsKey("optOutShown") && Boolean.TRUE.equals(i.get("optOutShown").bool()),
                i.containsKey("lastSent") ? Json.read(i.get("lastSent").s(), Enrolment.LastSent.class) : null);
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
