package dev.dripline.analytics;

import dev.dripline.messaging.Origin;
import dev.dripline.store.TableShape;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The counters table: what happened to campaigns and broadcasts, counted as it happens with
 * atomic {@code UpdateItem ADD}s, never by scanning messages.
 *
 * <p>Items, under the key {@code id}, each spread over {@code shards} items (a random shard per
 * write, all shards summed on read) so that no single item takes every write of a big send:
 * <ul>
 *   <li>{@code c#<campaign>#<shard>}: the campaign's totals {@code t|<metric>}, per step
 *       {@code s|<step>|<metric>} and per variant {@code v|<variant>|<metric>}, in one item, so one
 *       event is one write;</li>
 *   <li>{@code b#<broadcast>#<shard>}: a broadcast's totals;</li>
 *   <li>{@code d#<yyyy-mm-dd>#<shard>}: one UTC day, every message ({@code t|<metric>}) and per
 *       campaign ({@code c|<campaign>|<metric>}), for the charts; kept 400 days;</li>
 *   <li>{@code index#campaigns}, {@code index#broadcasts}: the ids that have counters.</li>
 * </ul>
 * Counting happens after the conditional write that made the event happen once; a counter write
 * that fails is logged, not retried (the message records can be recounted: {@link Reconciliation}).
 */
public final class Counters implements Tally {

    private static final Logger LOG = LoggerFactory.getLogger(Counters.class);
    /** The metrics counted per UTC day for the charts. */
    public static final Set<String> DAILY = Set.of("sent", "mms", "segments", "cost", "delivered", "undelivered", "failed", "optedOut",
            "received", "receivedMms");
    private static final long DAY_ITEM_DAYS = 400;

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final int shards;
    private final Set<String> indexed = ConcurrentHashMap.newKeySet();
    /** This thread's open {@link #batched} scope: counter item (unsharded id) → its merged adds and expiry. */
    private final ThreadLocal<Map<String, Pending>> scope = new ThreadLocal<>();

    private record Pending(Map<String, BigDecimal> adds, Long expiresAt) {
    }

    public Counters(DynamoDbClient dynamo, String tableName, int shards) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.shards = shards;
    }

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "id", null, List.of(), "expiresAt");
    }

    /** The engine's port: counts a metric of a campaign (its step and variant) or broadcast, not by day. */
    @Override
    public void add(Origin origin, String metric, long amount) {
        count(origin, Map.of(metric, BigDecimal.valueOf(amount)), null);
    }

    /**
     * Counts several metrics of one event in one write per item: the origin's item (if any) and,
     * for those of {@link #DAILY} and when {@code day} is given, the day's item.
     */
    public void count(Origin origin, Map<String, BigDecimal> metrics, Instant day) {
        try {
            if (origin != null && origin.campaignId() != null) {
                index("campaigns", origin.campaignId());
                Map<String, BigDecimal> adds = new LinkedHashMap<>();
                metrics.forEach((metric, amount) -> {
                    adds.put("t|" + metric, amount);
                    if (origin.stepId() != null) {
                        adds.put("s|" + origin.stepId() + "|" + metric, amount);
                    }
                    if (origin.variant() != null) {
                        adds.put("v|" + origin.variant() + "|" + metric, amount);
                    }
                });
                write("c#" + origin.campaignId(), adds, null);
            }
            if (origin != null && origin.broadcastId() != null) {
                index("broadcasts", origin.broadcastId());
                Map<String, BigDecimal> adds = new LinkedHashMap<>();
                metrics.forEach((metric, amount) -> adds.put("t|" + metric, amount));
                write("b#" + origin.broadcastId(), adds, null);
            }
            if (day != null) {
                Map<String, BigDecimal> adds = new LinkedHashMap<>();
                metrics.forEach((metric, amount) -> {
                    if (DAILY.contains(metric)) {
                        adds.put("t|" + metric, amount);
                        if (origin != null && origin.campaignId() != null) {
                            adds.put("c|" + origin.campaignId() + "|" + metric, amount);
                        }
                    }
                });
                if (!adds.isEmpty()) {
                    LocalDate date = LocalDate.ofInstant(day, ZoneOffset.UTC);
                    write("d#" + date, adds, date.plusDays(DAY_ITEM_DAYS).atStartOfDay().toEpochSecond(ZoneOffset.UTC));
                }
            }
        } catch (RuntimeException e) {
            // The event already happened; a lost count shows in a reconciliation, a failed send would be worse.
            LOG.error("counters {} of {} not written: {}", metrics.keySet(), origin, e.toString());
        }
    }

    /**
     * Runs {@code work} with this thread's counting merged: every count made meanwhile is added up
     * per counter item and written at the end, one UpdateItem per item (on one random shard)
     * however many events, e.g. a sender's batch of ten hand-overs is one write per day item
     * instead of ten. The writes happen when {@code work} ends, thrown or not, before the batch
     * is acknowledged; a failed write is logged as a single one is. A scope inside another adds
     * to the outer one.
     */
    public <T> T batched(java.util.function.Supplier<T> work) {
        if (scope.get() != null) {
            return work.get();
        }
        Map<String, Pending> pending = new LinkedHashMap<>();
        scope.set(pending);
        try {
            return work.get();
        } finally {
            scope.remove();
            pending.forEach((prefix, p) -> {
                try {
                    addTo(prefix + "#" + shard(), p.adds(), p.expiresAt());
                } catch (RuntimeException e) {
                    LOG.error("counters {} of {} not written: {}", p.adds().keySet(), prefix, e.toString());
                }
            });
        }
    }

    /** Adds to the counter item {@code prefix} (on a random shard), or to this thread's {@link #batched} scope. */
    private void write(String prefix, Map<String, BigDecimal> adds, Long expiresAt) {
        Map<String, Pending> pending = scope.get();
        if (pending == null) {
            addTo(prefix + "#" + shard(), adds, expiresAt);
            return;
        }
        Pending p = pending.computeIfAbsent(prefix, k -> new Pending(new LinkedHashMap<>(), expiresAt));
        adds.forEach((metric, amount) -> p.adds().merge(metric, amount, BigDecimal::add));
    }

    private int shard() {
        return shards == 1 ? 0 : ThreadLocalRandom.current().nextInt(shards);
    }

    private void index(String kind, String id) {
        if (indexed.add(kind + "#" + id)) {
            dynamo.updateItem(r -> r.tableName(tableName).key(Map.of("id", AttributeValue.fromS("index#" + kind)))
                    .updateExpression("ADD ids :id").expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(id)))));
        }
    }

    /** One atomic UpdateItem: {@code ADD} every amount (names in placeholders: steps and variants are the team's words). */
    void addTo(String id, Map<String, BigDecimal> adds, Long expiresAt) {
        StringBuilder expression = new StringBuilder("ADD ");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        int n = 0;
        for (Map.Entry<String, BigDecimal> e : adds.entrySet()) {
            if (n > 0) {
                expression.append(", ");
            }
            expression.append("#a").append(n).append(" :v").append(n);
            names.put("#a" + n, e.getKey());
            values.put(":v" + n, AttributeValue.fromN(e.getValue().toPlainString()));
            n++;
        }
        if (expiresAt != null) {
            expression.append(" SET expiresAt = if_not_exists(expiresAt, :exp)");
            values.put(":exp", AttributeValue.fromN(expiresAt.toString()));
        }
        dynamo.updateItem(r -> r.tableName(tableName).key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression(expression.toString()).expressionAttributeNames(names).expressionAttributeValues(values));
    }

    /** The campaign's counters, all shards summed. */
    public Counts campaign(String campaignId) {
        return sum(keys("c#" + campaignId)).values().stream().findFirst().orElse(Counts.EMPTY);
    }

    /** A broadcast's counters, all shards summed. */
    public Counts broadcast(String broadcastId) {
        return sum(keys("b#" + broadcastId)).values().stream().findFirst().orElse(Counts.EMPTY);
    }

    /** The counters of each UTC day from {@code first} to {@code last}, both included, oldest first; days without any are empty. */
    public Map<LocalDate, Counts> days(LocalDate first, LocalDate last) {
        List<String> ids = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            ids.addAll(keys("d#" + d));
        }
        Map<String, Counts> byPrefix = sum(ids);
        Map<LocalDate, Counts> out = new TreeMap<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            out.put(d, byPrefix.getOrDefault("d#" + d, Counts.EMPTY));
        }
        return out;
    }

    /** The campaigns (or broadcasts: {@code kind} "broadcasts") that have counters. */
    public Set<String> ids(String kind) {
        var item = dynamo.getItem(r -> r.tableName(tableName).key(Map.of("id", AttributeValue.fromS("index#" + kind))).consistentRead(true));
        return item.hasItem() && item.item().containsKey("ids") ? new java.util.TreeSet<>(item.item().get("ids").ss()) : Set.of();
    }

    private List<String> keys(String prefix) {
        List<String> ids = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) {
            ids.add(prefix + "#" + i);
        }
        return ids;
    }

    /** BatchGetItem (100 keys a call, unprocessed keys asked again); shards summed per id prefix. */
    private Map<String, Counts> sum(List<String> ids) {
        Map<String, Map<String, BigDecimal>> sums = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(id -> Map.of("id", AttributeValue.fromS(id))).toList();
            Map<String, KeysAndAttributes> request = Map.of(tableName, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> ask = request;
                BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(ask));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    String id = item.get("id").s();
                    Map<String, BigDecimal> into = sums.computeIfAbsent(id.substring(0, id.lastIndexOf('#')), k -> new HashMap<>());
                    item.forEach((name, value) -> {
                        if (value.n() != null && name.indexOf('|') > 0) {
                            into.merge(name, new BigDecimal(value.n()), BigDecimal::add);
                        }
                    });
                }
                request = response.unprocessedKeys() == null ? Map.of() : response.unprocessedKeys();
            }
        }
        Map<String, Counts> out = new LinkedHashMap<>();
        sums.forEach((prefix, values) -> out.put(prefix, new Counts(values)));
        return out;
    }

    /**
     * Counters as read: {@code t|metric} totals, {@code s|step|metric}, {@code v|variant|metric},
     * {@code c|campaign|metric} (day items).
     */
    public record Counts(Map<String, BigDecimal> values) {

        public static final Counts EMPTY = new Counts(Map.of());

        public long total(String metric) {
            return longOf("t|" + metric);
        }

        public BigDecimal amount(String metric) {
            return values.getOrDefault("t|" + metric, BigDecimal.ZERO);
        }

        private long longOf(String name) {
            BigDecimal v = values.get(name);
            return v == null ? 0 : v.longValue();
        }

        /** The counters under one step ("s"), variant ("v") or campaign ("c") name: metric → amount. */
        public Map<String, BigDecimal> of(String kind, String name) {
            String prefix = kind + "|" + name + "|";
            Map<String, BigDecimal> out = new TreeMap<>();
            values.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
            return out;
        }

        /** The step, variant or campaign names that have counters, in order of first sight. */
        public Set<String> names(String kind) {
            Set<String> out = new LinkedHashSet<>();
            for (String k : new TreeMap<>(values).keySet()) {
                if (k.startsWith(kind + "|")) {
                    out.add(k.substring(kind.length() + 1, k.lastIndexOf('|')));
                }
            }
            return out;
        }

        /** The totals: metric → amount. */
        public Map<String, BigDecimal> totals() {
            Map<String, BigDecimal> out = new TreeMap<>();
            values.forEach((k, v) -> {
                if (k.startsWith("t|")) {
                    out.put(k.substring(2), v);
                }
            });
            return out;
        }
    }
}
