package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.ids.Ids;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.NotFound;
import dev.dripline.json.Json;
import dev.dripline.store.PageCursor;
import dev.dripline.store.TableShape;
import dev.dripline.store.Transaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The campaigns table: per campaign a head item ({@code sk = "head"}: name, status, current
 * version) and one immutable item per definition version ({@code sk = "v000001"}...). An active
 * campaign's head carries {@code triggerKey} ({@code event#cart_abandoned}, {@code segment#seg_..},
 * {@code date}), which the sparse {@code byTrigger} index lists: finding the campaigns an event
 * starts is one Query, not a scan.
 */
public final class Campaigns {

    static final String BY_TRIGGER = "byTrigger";
    private static final String HEAD = "head";

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "id", "sk", List.of(new TableShape.Index(BY_TRIGGER, "triggerKey", "id")), null);
    }

    /** A campaign's definition at one version, parsed. */
    public record Version(String campaignId, int version, CampaignDefinition definition, JsonNode json) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Map<String, Version> versions = new ConcurrentHashMap<>();

    public Campaigns(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** Creates a draft campaign from a definition (checked whole first). */
    public Campaign create(JsonNode json) {
        CampaignDefinition def = CampaignDefinition.parse(json);
        String id = Ids.next("cmp", clock);
        Instant now = clock.instant();
        Map<String, AttributeValue> head = new HashMap<>();
        head.put("id", s(id));
        head.put("sk", s(HEAD));
        head.put("name", s(def.name()));
        head.put("status", s(Campaign.Status.DRAFT.wire()));
        head.put("version", n(1));
        head.put("createdAt", s(now.toString()));
        head.put("updatedAt", s(now.toString()));
        Transaction.Outcome created = Transaction.of()
                .put("head", Put.builder().tableName(table).item(head).conditionExpression("attribute_not_exists(id)").build())
                .put("version", Put.builder().tableName(table).item(versionItem(id, 1, json, now)).build())
                .write(dynamo);
        if (!created.committed()) {
            throw new IllegalStateException("campaign id " + id + " was taken (" + created + ")");
        }
        return new Campaign(id, def.name(), Campaign.Status.DRAFT, 1, Json.mapper().convertValue(json, Object.class), now, now);
    }

    /**
     * A new version of the definition; enrolments already running keep the version they
     * started on, new ones start on this. An archived campaign cannot change.
     */
    public Campaign update(String id, JsonNode json) {
        CampaignDefinition def = CampaignDefinition.parse(json);
        for (int attempt = 0; attempt < 5; attempt++) {
            Campaign current = get(id);
            if (current.status() == Campaign.Status.ARCHIVED) {
                throw new Conflict("campaign " + id + " is archived; create a new one");
            }
            int next = current.version() + 1;
            Instant now = clock.instant();
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":v", n(next), ":prev", n(current.version()), ":name", s(def.name()),
                    ":now", s(now.toString())));
            String expression = "SET version = :v, #name = :name, updatedAt = :now";
            if (current.status() == Campaign.Status.ACTIVE) {
                expression += ", triggerKey = :tk";
                values.put(":tk", s(triggerKey(def.trigger())));
            }
            Transaction.Outcome written = Transaction.of()
                    .update("head", Update.builder().tableName(table).key(key(id, HEAD))
                            .updateExpression(expression).conditionExpression("version = :prev")
                            .expressionAttributeNames(Map.of("#name", "name")).expressionAttributeValues(values).build())
                    .put("version", Put.builder().tableName(table).item(versionItem(id, next, json, now))
                            .conditionExpression("attribute_not_exists(id)").build())
                    .write(dynamo);
            if (written.committed()) {
                return get(id);
            }
            // Another update got the version number first (or wrote at the same time): read again and take the next.
        }
        throw new Conflict("campaign " + id + " is being changed by someone else; try again");
    }

    /** Moves a campaign through its lifecycle; {@code to} must be reachable from where it is. */
    public Campaign transition(String id, Campaign.Status to) {
        Campaign current = get(id);
        Set<Campaign.Status> from = switch (to) {
            case ACTIVE -> Set.of(Campaign.Status.DRAFT, Campaign.Status.PAUSED, Campaign.Status.ACTIVE);
            case PAUSED -> Set.of(Campaign.Status.ACTIVE, Campaign.Status.PAUSED);
            case ARCHIVED -> Set.of(Campaign.Status.DRAFT, Campaign.Status.ACTIVE, Campaign.Status.PAUSED, Campaign.Status.ARCHIVED);
            case DRAFT -> Set.of();
        };
        if (!from.contains(current.status())) {
            throw new Conflict("campaign " + id + " is " + current.status().wire() + "; it cannot become " + to.wire());
        }
        Version v = version(id, current.version());
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to.wire()), ":from", s(current.status().wire()),
                ":now", s(clock.instant().toString())));
        String expression = "SET #status = :to, updatedAt = :now";
        if (to == Campaign.Status.ACTIVE) {
            expression += ", triggerKey = :tk";
            values.put(":tk", s(triggerKey(v.definition().trigger())));
        } else {
            expression += " REMOVE triggerKey";
        }
        String update = expression;
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(id, HEAD)).updateExpression(update)
                    .conditionExpression("#status = :from").expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException raced) {
            throw new Conflict("campaign " + id + " changed status meanwhile; read it and try again");
        }
        return get(id);
    }

    static String triggerKey(CampaignDefinition.Trigger trigger) {
        if (trigger instanceof CampaignDefinition.Trigger.OnEvent e) {
            return "event#" + e.name();
        } else if (trigger instanceof CampaignDefinition.Trigger.OnSegment s) {
            return "segment";
        } else if (trigger instanceof CampaignDefinition.Trigger.OnDate) {
            return "date";
        }
        return "api";
    }

    public Campaign get(String id) {
        return find(id).orElseThrow(() -> new NotFound("campaign", id));
    }

    public Optional<Campaign> find(String id) {
        if (id == null || !id.startsWith("cmp_") || id.length() > 100) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(id, HEAD)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        int version = Integer.parseInt(item.get("version").n());
        return Optional.of(new Campaign(id, item.get("name").s(), Campaign.Status.valueOf(item.get("status").s().toUpperCase(java.util.Locale.ROOT)),
                version, Json.mapper().convertValue(version(id, version).json(), Object.class),
                Instant.parse(item.get("createdAt").s()), Instant.parse(item.get("updatedAt").s())));
    }

    /** One version of a campaign's definition; versions never change, so they are kept once read. */
    public Version version(String id, int version) {
        String cacheKey = id + "#" + version;
        Version v = versions.get(cacheKey);
        if (v != null) {
            return v;
        }
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(id, versionKey(version)))).item();
        if (item == null || item.isEmpty()) {
            throw new NotFound("campaign version", id + " v" + version);
        }
        JsonNode json = Json.read(item.get("definition").s(), JsonNode.class);
        v = new Version(id, version, CampaignDefinition.parse(json), json);
        versions.put(cacheKey, v);
        return v;
    }

    /** The active campaigns whose trigger is {@code triggerKey}: their ids and current versions. */
    public List<Campaign> activeFor(String triggerKey) {
        List<Campaign> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(BY_TRIGGER)
                    .keyConditionExpression("triggerKey = :k").expressionAttributeValues(Map.of(":k", s(triggerKey)));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = dynamo.query(q.build());
            for (Map<String, AttributeValue> item : r.items()) {
                if ("active".equals(item.get("status").s())) {
                    out.add(new Campaign(item.get("id").s(), item.get("name").s(), Campaign.Status.ACTIVE,
                            Integer.parseInt(item.get("version").n()), null, Instant.parse(item.get("createdAt").s()),
                            Instant.parse(item.get("updatedAt").s())));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** Every campaign, a page at a time (campaigns are few: a scan of head items). */
    public record Page(List<Campaign> items, String nextCursor) {
    }

    public Page list(int limit, String cursor) {
        Map<String, AttributeValue> start = PageCursor.start(cursor, "campaigns", Set.of("id", "sk"));
        List<Campaign> items = new ArrayList<>();
        Map<String, AttributeValue> lastKey = null;
        boolean more = false;
        do {
            // Broadcasts share the table (kind = broadcast); campaigns have no kind.
            ScanRequest.Builder scan = ScanRequest.builder().tableName(table).filterExpression("sk = :h AND attribute_not_exists(kind)")
                    .expressionAttributeValues(Map.of(":h", s(HEAD))).limit(100);
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse r = dynamo.scan(scan.build());
            for (Map<String, AttributeValue> item : r.items()) {
                if (items.size() == limit) {
                    more = true;
                    break;
                }
                items.add(new Campaign(item.get("id").s(), item.get("name").s(),
                        Campaign.Status.valueOf(item.get("status").s().toUpperCase(java.util.Locale.ROOT)),
                        Integer.parseInt(item.get("version").n()), null, Instant.parse(item.get("createdAt").s()),
                        Instant.parse(item.get("updatedAt").s())));
                lastKey = Map.of("id", item.get("id"), "sk", item.get("sk"));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (!more && start != null);
        return new Page(items, more && lastKey != null ? PageCursor.encode("campaigns", lastKey) : null);
    }

    private Map<String, AttributeValue> versionItem(String id, int version, JsonNode json, Instant now) {
        return Map.of("id", s(id), "sk", s(versionKey(version)), "definition", s(Json.write(json)), "createdAt", s(now.toString()));
    }

    static String versionKey(int version) {
        return String.format("v%06d", version);
    }

    private static Map<String, AttributeValue> key(String id, String sk) {
        return Map.of("id", s(id), "sk", s(sk));
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
