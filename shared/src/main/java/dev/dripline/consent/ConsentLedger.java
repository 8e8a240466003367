package dev.dripline.consent;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.dripline.store.TableShape;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;

/**
 * The consent ledger table: one item per change, keyed by contact and a time-ordered entry id.
 * Items are only ever put with a condition that they do not exist: nothing edits the past.
 */
public final class ConsentLedger {

    static final TableSchema<ConsentEntryItem> SCHEMA = StaticTableSchema.builder(ConsentEntryItem.class)
            .newItemSupplier(ConsentEntryItem::new)
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("entryId").getter(i -> i.entryId).setter((i, v) -> i.entryId = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(String.class, a -> a.name("channel").getter(i -> i.channel).setter((i, v) -> i.channel = v))
            .addAttribute(String.class, a -> a.name("source").getter(i -> i.source).setter((i, v) -> i.source = v))
            .addAttribute(String.class, a -> a.name("proof").getter(i -> i.proof).setter((i, v) -> i.proof = v))
            .addAttribute(String.class, a -> a.name("ip").getter(i -> i.ip).setter((i, v) -> i.ip = v))
            .addAttribute(String.class, a -> a.name("userAgent").getter(i -> i.userAgent).setter((i, v) -> i.userAgent = v))
            .addAttribute(String.class, a -> a.name("actor").getter(i -> i.actor).setter((i, v) -> i.actor = v))
            .addAttribute(Instant.class, a -> a.name("capturedAt").getter(i -> i.capturedAt).setter((i, v) -> i.capturedAt = v))
            .addAttribute(Instant.class, a -> a.name("recordedAt").getter(i -> i.recordedAt).setter((i, v) -> i.recordedAt = v))
            .build();

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "contactId", "entryId", List.of(), null);
    }

    private final DynamoDbTable<ConsentEntryItem> table;

    public ConsentLedger(DynamoDbEnhancedClient client, String tableName) {
        this.table = client.table(tableName, SCHEMA);
    }

    /** The put of one new entry, to run inside the transaction that changes the contact. */
    public TransactPutItemEnhancedRequest<ConsentEntryItem> appendRequest(ConsentEntry entry) {
        return TransactPutItemEnhancedRequest.builder(ConsentEntryItem.class)
                .item(ConsentEntryItem.of(entry))
                .conditionExpression(Expression.builder().expression("attribute_not_exists(entryId)").build())
                .build();
    }

    public DynamoDbTable<ConsentEntryItem> table() {
        return table;
    }

    /** A contact's entries, oldest first. */
    public List<ConsentEntry> entries(String contactId) {
        return table.query(QueryConditional.keyEqualTo(Key.builder().partitionValue(contactId).build()))
                .items().stream().map(ConsentEntryItem::toEntry).toList();
    }

    /** The stored form; fields are package-private and touched only by the schema. */
    public static final class ConsentEntryItem {
        String contactId;
        String entryId;
        String status;
        String channel;
        String source;
        String proof;
        String ip;
        String userAgent;
        String actor;
        Instant capturedAt;
        Instant recordedAt;

        static ConsentEntryItem of(ConsentEntry e) {
            ConsentEntryItem i = new ConsentEntryItem();
            i.contactId = e.contactId();
            i.entryId = e.entryId();
            i.status = e.status().wire();
            i.channel = e.channel();
            i.source = e.source();
            i.proof = e.proof();
            i.ip = e.ip();
            i.userAgent = e.userAgent();
            i.actor = e.actor();
            i.capturedAt = e.capturedAt();
            i.recordedAt = e.recordedAt();
            return i;
        }

        ConsentEntry toEntry() {
            return new ConsentEntry(contactId, entryId, ConsentStatus.fromWire(status), channel, source, proof, ip,
                    userAgent, actor, capturedAt, recordedAt);
        }
    }
}
