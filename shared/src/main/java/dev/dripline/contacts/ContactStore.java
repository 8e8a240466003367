package dev.dripline.contacts;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.dripline.audience.AudienceTable;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import dev.dripline.consent.ConsentStatus;
import dev.dripline.store.JsonValuesConverter;
import dev.dripline.store.TableShape;
import dev.dripline.store.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;

/**
 * The contacts table's one owner. Style (see {@code dev.dripline.store}): the Enhanced client maps
 * items for reads; every write is a low-level request in a {@link Transaction} built by
 * {@link ContactWrite}, since each carries a version or ownership condition read back by name.
 *
 * <p>The table holds two kinds of item under the key {@code id}: contacts
 * ({@code ct_...}) and phone claims ({@code phone#+1415...} → contact id), which make the
 * phone number unique: a contact and its claim are written in one transaction.
 */
public final class ContactStore {


    static final TableSchema<ContactItem> CONTACT = StaticTableSchema.builder(ContactItem.class)
            .newItemSupplier(ContactItem::new)
            .addAttribute(String.class, a -> a.name("id").getter(i -> i.id).setter((i, v) -> i.id = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("phone").getter(i -> i.phone).setter((i, v) -> i.phone = v))
            .addAttribute(String.class, a -> a.name("country").getter(i -> i.country).setter((i, v) -> i.country = v))
            .addAttribute(String.class, a -> a.name("numberType").getter(i -> i.numberType).setter((i, v) -> i.numberType = v))
            .addAttribute(String.class, a -> a.name("firstName").getter(i -> i.firstName).setter((i, v) -> i.firstName = v))
            .addAttribute(String.class, a -> a.name("lastName").getter(i -> i.lastName).setter((i, v) -> i.lastName = v))
            .addAttribute(String.class, a -> a.name("email").getter(i -> i.email).setter((i, v) -> i.email = v))
            .addAttribute(String.class, a -> a.name("timeZone").getter(i -> i.timeZone).setter((i, v) -> i.timeZone = v))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("timeZones").getter(i -> i.timeZones).setter((i, v) -> i.timeZones = v))
            .addAttribute(EnhancedType.mapOf(String.class, Object.class), a -> a.name("attributes")
                    .getter(i -> i.attributes).setter((i, v) -> i.attributes = v).attributeConverter(new JsonValuesConverter()))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("tags").getter(i -> i.tags).setter((i, v) -> i.tags = v))
            .addAttribute(String.class, a -> a.name("consent").getter(i -> i.consent).setter((i, v) -> i.consent = v))
            .addAttribute(EnhancedType.mapOf(String.class, String.class), a -> a.name("topics").getter(i -> i.topics).setter((i, v) -> i.topics = v))
            .addAttribute(Instant.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v))
            .addAttribute(Instant.class, a -> a.name("updatedAt").getter(i -> i.updatedAt).setter((i, v) -> i.updatedAt = v))
            .addAttribute(Long.class, a -> a.name("version").getter(i -> i.version).setter((i, v) -> i.version = v)
                    .tags(VersionedRecordExtension.AttributeTags.versionAttribute()))
            .build();

    static final TableSchema<PhoneClaimItem> PHONE_CLAIM = StaticTableSchema.builder(PhoneClaimItem.class)
            .newItemSupplier(PhoneClaimItem::new)
            .addAttribute(String.class, a -> a.name("id").getter(i -> i.id).setter((i, v) -> i.id = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v))
            .build();

    static final TableSchema<SuppressionItem> SUPPRESSION = StaticTableSchema.builder(SuppressionItem.class)
            .newItemSupplier(SuppressionItem::new)
            .addAttribute(String.class, a -> a.name("id").getter(i -> i.id).setter((i, v) -> i.id = v).tags(primaryPartitionKey()))
            .addAttribute(Instant.class, a -> a.name("erasedAt").getter(i -> i.erasedAt).setter((i, v) -> i.erasedAt = v))
            .addAttribute(String.class, a -> a.name("consentAtErasure").getter(i -> i.consentAtErasure).setter((i, v) -> i.consentAtErasure = v))
            .build();

    static final TableSchema<TagItem> TAG = StaticTableSchema.builder(TagItem.class)
            .newItemSupplier(TagItem::new)
            .addAttribute(String.class, a -> a.name(AudienceTable.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(AudienceTable.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .build();

    public static TableShape shape(String tableName) {
        // No index on phone: the phone#<E.164> claim items answer "who owns this number" with a
        // strongly consistent GetItem, and an index would cost a write on every contact write.
        return new TableShape(tableName, "id", null, List.of(), null);
    }

    private final DynamoDbTable<ContactItem> contacts;
    private final DynamoDbTable<PhoneClaimItem> claims;
    private final DynamoDbTable<SuppressionItem> suppressions;
    private final DynamoDbTable<TagItem> tags;
    private final DynamoDbClient dynamo;
    private final String tableName;

    public ContactStore(DynamoDbEnhancedClient client, DynamoDbClient dynamo, String tableName, String audienceTable) {
        this.contacts = client.table(tableName, CONTACT);
        this.claims = client.table(tableName, PHONE_CLAIM);
        this.suppressions = client.table(tableName, SUPPRESSION);
        this.tags = client.table(audienceTable, TAG);
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    /** The parts of a contact write, each named with {@code prefix} (one unit among several in a batch). */
    ContactWrite write(Transaction tx, String prefix) {
        return new ContactWrite(tableName, tags.tableName(), tx, prefix);
    }

    /** Writes all or nothing; a refusal comes back by part name, never as an exception. */
    Transaction.Outcome commit(Transaction tx) {
        return tx.write(dynamo);
    }

    public String tableName() {
        return tableName;
    }

    /**
     * Many items of this table by id in BatchGetItem calls of 100 keys, strongly consistent;
     * the raw attribute maps by id (claims, suppressions and contacts alike), missing ids absent.
     */
    Map<String, Map<String, AttributeValue>> batchGet(Collection<String> ids) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        List<String> all = new ArrayList<>(new LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = all.subList(from, Math.min(all.size(), from + 100)).stream()
                    .map(id -> Map.of("id", AttributeValue.fromS(id))).toList();
            Map<String, KeysAndAttributes> request = Map.of(tableName, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int round = 0; !request.isEmpty(); round++) {
                BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                response.responses().getOrDefault(tableName, List.of()).forEach(item -> found.put(item.get("id").s(), item));
                request = response.unprocessedKeys() == null ? Map.of() : response.unprocessedKeys();
                if (!request.isEmpty()) {
                    pause(round);
                }
            }
        }
        return found;
    }

    static void pause(int round) {
        try {
            Thread.sleep(Math.min(200, 5L << Math.min(round, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Contacts by id, in the order given, skipping ids that do not exist (any more). */
    public List<Contact> contacts(List<String> ids) {
        Map<String, Map<String, AttributeValue>> found = batchGet(ids);
        List<Contact> out = new ArrayList<>();
        for (String id : ids) {
            Map<String, AttributeValue> raw = found.get(id);
            if (raw != null) {
                out.add(CONTACT.mapToItem(raw).toContact());
            }
        }
        return out;
    }

    /** A page of a Scan: contacts that passed the filter, and where the Scan stopped (null at the end). */
    public record Scanned(List<Contact> items, Map<String, AttributeValue> lastKey) {
    }

    /**
     * One page of a Scan of contact items (claims and suppressions excluded) with a
     * FilterExpression; {@code limit} counts items read, not items matched.
     */
    public Scanned scan(String filter, Map<String, String> names, Map<String, AttributeValue> values,
                        Map<String, AttributeValue> start, int limit) {
        Map<String, AttributeValue> v = new HashMap<>(values);
        v.put(":ctPrefix", AttributeValue.fromS("ct_"));
        ScanRequest.Builder scan = ScanRequest.builder().tableName(tableName).limit(limit)
                .filterExpression("begins_with(id, :ctPrefix)" + (filter == null ? "" : " AND " + filter))
                .expressionAttributeValues(v);
        if (names != null && !names.isEmpty()) {
            scan.expressionAttributeNames(names);
        }
        if (start != null) {
            scan.exclusiveStartKey(start);
        }
        ScanResponse response = dynamo.scan(scan.build());
        List<Contact> items = response.items().stream().map(i -> CONTACT.mapToItem(i).toContact()).toList();
        return new Scanned(items, response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null);
    }

    boolean suppressed(String key) {
        return suppressions.getItem(GetItemEnhancedRequest.builder().key(Key.builder().partitionValue(key).build())
                .consistentRead(true).build()) != null;
    }

    static String claimKey(String e164) {
        return "phone#" + e164;
    }

    public Optional<Contact> get(String id) {
        if (id == null || !id.startsWith("ct_")) {
            return Optional.empty();
        }
        return Optional.ofNullable(contacts.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(id).build()).consistentRead(true).build())).map(ContactItem::toContact);
    }

    Optional<ContactItem> item(String id) {
        return Optional.ofNullable(contacts.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(id).build()).consistentRead(true).build()));
    }

    /** The contact that owns a number, read through its claim (strongly consistent). */
    public Optional<Contact> byPhone(String e164) {
        return claimedBy(e164).flatMap(this::get);
    }

    Optional<String> claimedBy(String e164) {
        PhoneClaimItem claim = claims.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(claimKey(e164)).build()).consistentRead(true).build());
        return Optional.ofNullable(claim).map(c -> c.contactId);
    }

    /** The stored form of a contact; fields are touched only by the schema and {@link Contacts}. */
    static final class ContactItem {
        String id;
        String phone;
        String country;
        String numberType;
        String firstName;
        String lastName;
        String email;
        String timeZone;
        List<String> timeZones;
        Map<String, Object> attributes;
        List<String> tags;
        String consent;
        /** Consent per topic where it differs from {@code consent}: topic to opted_in or opted_out. */
        Map<String, String> topics;
        Instant createdAt;
        Instant updatedAt;
        Long version;

        Contact toContact() {
            return new Contact(id, phone, country, numberType, firstName, lastName, email, timeZone,
                    timeZones == null ? List.of() : List.copyOf(timeZones),
                    attributes == null ? Map.of() : new LinkedHashMap<>(attributes),
                    tags == null ? List.of() : List.copyOf(tags),
                    consent == null ? ConsentStatus.NONE : ConsentStatus.fromWire(consent),
                    createdAt, updatedAt, topicStatuses());
        }

        private Map<String, ConsentStatus> topicStatuses() {
            Map<String, ConsentStatus> out = new java.util.TreeMap<>();
            if (topics != null) {
                topics.forEach((t, s) -> out.put(t, ConsentStatus.fromWire(s)));
            }
            return out;
        }

        /** Whether {@code other} says the same of the person: every field but {@code updatedAt} and {@code version}. */
        boolean sameFacts(ContactItem other) {
            return java.util.Objects.equals(id, other.id) && java.util.Objects.equals(phone, other.phone)
                    && java.util.Objects.equals(country, other.country) && java.util.Objects.equals(numberType, other.numberType)
                    && java.util.Objects.equals(firstName, other.firstName) && java.util.Objects.equals(lastName, other.lastName)
                    && java.util.Objects.equals(email, other.email) && java.util.Objects.equals(timeZone, other.timeZone)
                    && java.util.Objects.equals(timeZones, other.timeZones) && java.util.Objects.equals(attributes, other.attributes)
                    && java.util.Objects.equals(tags, other.tags) && java.util.Objects.equals(consent, other.consent)
                    && java.util.Objects.equals(topics, other.topics) && java.util.Objects.equals(createdAt, other.createdAt);
        }

        ContactItem copy() {
            ContactItem c = new ContactItem();
            c.id = id;
            c.phone = phone;
            c.country = country;
            c.numberType = numberType;
            c.firstName = firstName;
            c.lastName = lastName;
            c.email = email;
            c.timeZone = timeZone;
            c.timeZones = timeZones == null ? null : new ArrayList<>(timeZones);
            c.attributes = attributes == null ? null : new LinkedHashMap<>(attributes);
            c.tags = tags == null ? null : new ArrayList<>(tags);
            c.consent = consent;
            c.topics = topics == null ? null : new LinkedHashMap<>(topics);
            c.createdAt = createdAt;
            c.updatedAt = updatedAt;
            c.version = version;
            return c;
        }
    }

    /** An erased number on the suppression list: {@code suppressed#<hmac>}, never the number itself. */
    static final class SuppressionItem {
        String id;
        Instant erasedAt;
        String consentAtErasure;
    }

    /** A tag membership in the audience table: {@code tag#<tag>} / contact id. */
    static final class TagItem {
        String pk;
        String sk;

        static TagItem of(String tag, String contactId) {
            TagItem t = new TagItem();
            t.pk = AudienceTable.tagKey(tag);
            t.sk = contactId;
            return t;
        }
    }

    /** Makes a phone number unique: {@code phone#<e164>} → the contact that owns it. */
    static final class PhoneClaimItem {
        String id;
        String contactId;
    }
}
