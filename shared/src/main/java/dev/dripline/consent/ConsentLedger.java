package dev.dripline.consent;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import dev.dripline.store.PageCursor;
import dev.dripline.store.TableShape;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/**
 * The consent ledger table: one item per change, keyed by contact and a time-ordered entry id.
 * Items are only ever put with a condition that they do not exist: nothing edits the past.
 */
public final class ConsentLedger {

    /** Entries by the UTC day they were recorded: an auditor's time-range export is a Query per day, not a Scan. */
    static final String DAY_INDEX = "byDay";

    static final TableSchema<ConsentEntryItem> SCHEMA = StaticTableSchema.builder(ConsentEntryItem.class)
            .newItemSupplier(ConsentEntryItem::new)
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("entryId").getter(i -> i.entryId).setter((i, v) -> i.entryId = v)
                    .tags(primarySortKey(), secondarySortKey(DAY_INDEX)))
            .addAttribute(String.class, a -> a.name("day").getter(i -> i.day).setter((i, v) -> i.day = v).tags(secondaryPartitionKey(DAY_INDEX)))
            .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(String.class, a -> a.name("channel").getter(i -> i.channel).setter((i, v) -> i.channel = v))
            .addAttribute(String.class, a -> a.name("source").getter(i -> i.source).setter((i, v) -> i.source = v))
            .addAttribute(String.class, a -> a.name("proof").getter(i -> i.proof).setter((i, v) -> i.proof = v))
            .addAttribute(String.class, a -> a.name("ip").getter(i -> i.ip).setter((i, v) -> i.ip = v))
            .addAttribute(String.class, a -> a.name("userAgent").getter(i -> i.userAgent).setter((i, v) -> i.userAgent = v))
            .addAttribute(String.class, a -> a.name("actor").getter(i -> i.actor).setter((i, v) -> i.actor = v))
            .addAttribute(Instant.class, a -> a.name("capturedAt").getter(i -> i.capturedAt).setter((i, v) -> i.capturedAt = v))
            .addAttribute(Instant.class, a -> a.name("recordedAt").getter(i -> i.recordedAt).setter((i, v) -> i.recordedAt = v))
            .addAttribute(String.class, a -> a.name("topic").getter(i -> i.topic).setter((i, v) -> i.topic = v))
            .addAttribute(String.class, a -> a.name("scope").getter(i -> i.scope).setter((i, v) -> i.scope = v))
            .addAttribute(String.class, a -> a.name("rule").getter(i -> i.rule).setter((i, v) -> i.rule = v))
            .build();

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "contactId", "entryId", List.of(new TableShape.Index(DAY_INDEX, "day", "entryId")), null);
    }

    private final DynamoDbTable<ConsentEntryItem> table;

    public ConsentLedger(DynamoDbEnhancedClient client, String tableName) {
        this.table = client.table(tableName, SCHEMA);
    }

    /** The put of one new entry, to run inside the transaction that changes the contact. */
    /** The append of an entry, for the transaction that makes the change it records (never an overwrite). */
    public software.amazon.awssdk.services.dynamodb.model.Put appendPut(ConsentEntry entry) {
        return software.amazon.awssdk.services.dynamodb.model.Put.builder().tableName(table.tableName())
                .item(SCHEMA.itemToMap(ConsentEntryItem.of(entry), true))
                .conditionExpression("attribute_not_exists(entryId)").build();
    }

    public DynamoDbTable<ConsentEntryItem> table() {
        return table;
    }

    /** A contact's entries, oldest first. */
    public List<ConsentEntry> entries(String contactId) {
        return table.query(QueryConditional.keyEqualTo(Key.builder().partitionValue(contactId).build()))
                .items().stream().map(ConsentEntryItem::toEntry).toList();
    }

    /** One page of an export: entries and the cursor of the next page (null on the last). */
    public record ExportPage(List<ConsentEntry> items, String nextCursor) {
    }

    /**
     * Entries recorded in [{@code from}, {@code to}), every contact, oldest day first, in pages
     * of at most {@code limit}: one Query of the {@value #DAY_INDEX} index per UTC day.
     */
    public ExportPage export(Instant from, Instant to, int limit, String cursor) {
        LocalDate day = from.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = to.minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate();
        Map<String, AttributeValue> start = null;
        String list = "consent-export?from=" + from + "&to=" + to;
        if (cursor != null && !cursor.isBlank()) {
            start = PageCursor.decode(cursor, list, Set.of("day", "entryId", "contactId"));
            try {
                day = LocalDate.parse(start.get("day").s());
            } catch (java.time.format.DateTimeParseException e) {
                throw dev.dripline.errors.InvalidInput.of("cursor", "is not a cursor this API returned");
            }
        }
        List<ConsentEntry> out = new ArrayList<>();
        while (!day.isAfter(last)) {
            QueryEnhancedRequest.Builder q = QueryEnhancedRequest.builder()
                    .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(day.toString()).build()))
                    .limit(Math.min(1000, limit - out.size() + 1));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            Page<ConsentEntryItem> page = table.index(DAY_INDEX).query(q.build()).iterator().next();
            for (ConsentEntryItem item : page.items()) {
                if (item.recordedAt.isBefore(from) || !item.recordedAt.isBefore(to)) {
                    continue;
                }
                if (out.size() == limit) {
                    ConsentEntry lastOut = out.get(out.size() - 1);
                    return new ExportPage(out, PageCursor.encode(list, Map.of("day", AttributeValue.fromS(lastOutDay(lastOut)),
                            "entryId", AttributeValue.fromS(lastOut.entryId()), "contactId", AttributeValue.fromS(lastOut.contactId()))));
                }
                out.add(item.toEntry());
            }
            Map<String, AttributeValue> next = page.lastEvaluatedKey();
            if (next != null && !next.isEmpty()) {
                start = next;
            } else {
                start = null;
                day = day.plusDays(1);
            }
        }
        return new ExportPage(out, null);
    }

    private static String lastOutDay(ConsentEntry e) {
        return e.recordedAt().atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** The stored form; fields are package-private and touched only by the schema. */
    public static final class ConsentEntryItem {
        String contactId;
        String entryId;
        String day;
        String status;
        String channel;
        String source;
        String proof;
        String ip;
        String userAgent;
        String actor;
        Instant capturedAt;
        Instant recordedAt;
        String topic;
        String scope;
        String rule;

        static ConsentEntryItem of(ConsentEntry e) {
            ConsentEntryItem i = new ConsentEntryItem();
            i.contactId = e.contactId();
            i.entryId = e.entryId();
            i.day = e.recordedAt().atZone(ZoneOffset.UTC).toLocalDate().toString();
            i.status = e.status().wire();
            i.channel = e.channel();
            i.source = e.source();
            i.proof = e.proof();
            i.ip = e.ip();
            i.userAgent = e.userAgent();
            i.actor = e.actor();
            i.capturedAt = e.capturedAt();
            i.recordedAt = e.recordedAt();
            i.topic = e.topic();
            i.scope = e.scope();
            i.rule = e.rule();
            return i;
        }

        ConsentEntry toEntry() {
            return new ConsentEntry(contactId, entryId, ConsentStatus.fromWire(status), channel, source, proof, ip,
                    userAgent, actor, capturedAt, recordedAt, topic, scope, rule);
        }
    }
}
