package dev.dripline.contacts;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;

import dev.dripline.consent.ConsentStatus;
import dev.dripline.store.JsonValuesConverter;
import dev.dripline.store.TableShape;
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
 * The contacts table. It holds two kinds of item under the key {@code id}: contacts
 * ({@code ct_...}) and phone claims ({@code phone#+1415...} → contact id), which make the
 * phone number unique: a contact and its claim are written in one transaction.
 */
public final class ContactStore {

    static final String PHONE_INDEX = "byPhone";

    static final TableSchema<ContactItem> CONTACT = StaticTableSchema.builder(ContactItem.class)
            .newItemSupplier(ContactItem::new)
            .addAttribute(String.class, a -> a.name("id").getter(i -> i.id).setter((i, v) -> i.id = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("phone").getter(i -> i.phone).setter((i, v) -> i.phone = v).tags(secondaryPartitionKey(PHONE_INDEX)))
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

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "id", null, List.of(new TableShape.Index(PHONE_INDEX, "phone", null)), null);
    }

    private final DynamoDbTable<ContactItem> contacts;
    private final DynamoDbTable<PhoneClaimItem> claims;

    public ContactStore(DynamoDbEnhancedClient client, String tableName) {
        this.contacts = client.table(tableName, CONTACT);
        this.claims = client.table(tableName, PHONE_CLAIM);
    }

    DynamoDbTable<ContactItem> contacts() {
        return contacts;
    }

    DynamoDbTable<PhoneClaimItem> claims() {
        return claims;
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
        Instant createdAt;
        Instant updatedAt;
        Long version;

        Contact toContact() {
            return new Contact(id, phone, country, numberType, firstName, lastName, email, timeZone,
                    timeZones == null ? List.of() : List.copyOf(timeZones),
                    attributes == null ? Map.of() : new LinkedHashMap<>(attributes),
                    tags == null ? List.of() : List.copyOf(tags),
                    consent == null ? ConsentStatus.NONE : ConsentStatus.fromWire(consent),
                    createdAt, updatedAt);
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
            c.createdAt = createdAt;
            c.updatedAt = updatedAt;
            c.version = version;
            return c;
        }
    }

    /** Makes a phone number unique: {@code phone#<e164>} → the contact that owns it. */
    static final class PhoneClaimItem {
        String id;
        String contactId;
    }
}
