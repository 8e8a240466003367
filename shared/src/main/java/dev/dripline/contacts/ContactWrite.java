package dev.dripline.contacts;

import dev.dripline.audience.AudienceTable;
import dev.dripline.store.Transaction;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;

/**
 * The parts of one contact's write (its item, phone claim, tag memberships, suppression, consent
 * entries), added to a {@link Transaction} under names, so that a refusal is read by name: a part
 * named {@code claim} refused means another contact owns the number, {@code contact} refused means
 * another writer changed the contact first. Built only by {@link ContactStore#write}.
 *
 * <p>Every contact put carries its version: {@code attribute_not_exists(id)} for a new contact,
 * {@code version = <read>} for a change, and writes the next version.
 */
final class ContactWrite {

    static final String CONTACT = "contact";
    static final String CLAIM = "claim";
    static final String OLD_CLAIM = "oldClaim";

    private final String contactsTable;
    private final String audienceTable;
    private final Transaction tx;
    private final String prefix;
    private int entries;

    ContactWrite(String contactsTable, String audienceTable, Transaction tx, String prefix) {
        this.contactsTable = contactsTable;
        this.audienceTable = audienceTable;
        this.tx = tx;
        this.prefix = prefix;
    }

    /** Claims {@code e164} for the contact; refused (part {@value #CLAIM}) if any contact owns it. */
    ContactWrite claim(String e164, String contactId) {
        ContactStore.PhoneClaimItem claim = new ContactStore.PhoneClaimItem();
        claim.id = ContactStore.claimKey(e164);
        claim.contactId = contactId;
        tx.put(prefix + CLAIM, Put.builder().tableName(contactsTable).item(ContactStore.PHONE_CLAIM.itemToMap(claim, true))
                .conditionExpression("attribute_not_exists(id)").build());
        return this;
    }

    /** Gives up the contact's claim of {@code e164}; refused (part {@value #OLD_CLAIM}) if it is not the contact's. */
    ContactWrite unclaim(String e164, String contactId) {
        tx.delete(prefix + OLD_CLAIM, Delete.builder().tableName(contactsTable).key(key(ContactStore.claimKey(e164)))
                .conditionExpression("contactId = :owner").expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(contactId)))
                .build());
        return this;
    }

    /** A new contact, version 1; refused if the id exists. */
    ContactWrite create(ContactStore.ContactItem item) {
        Map<String, AttributeValue> map = versioned(item, 1L);
        tx.put(prefix + CONTACT, Put.builder().tableName(contactsTable).item(map).conditionExpression("attribute_not_exists(id)").build());
        return this;
    }

    /** The contact as changed from the version it was read at ({@code item.version}); refused if that version moved on. */
    ContactWrite replace(ContactStore.ContactItem item) {
        Long read = item.version;
        Put.Builder put = Put.builder().tableName(contactsTable).item(versioned(item, read == null ? 1L : read + 1))
                .expressionAttributeNames(Map.of("#v", "version"));
        if (read == null) {
            put.conditionExpression("attribute_not_exists(#v)");
        } else {
            put.conditionExpression("#v = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromN(read.toString())));
        }
        tx.put(prefix + CONTACT, put.build());
        return this;
    }

    /** Deletes the contact item if it is still at the version read. */
    ContactWrite delete(String id, Long version) {
        tx.delete(prefix + CONTACT, Delete.builder().tableName(contactsTable).key(key(id))
                .conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(String.valueOf(version == null ? 1 : version)))).build());
        return this;
    }

    ContactWrite suppress(ContactStore.SuppressionItem suppressed) {
        tx.put(prefix + "suppression", Put.builder().tableName(contactsTable).item(ContactStore.SUPPRESSION.itemToMap(suppressed, true))
                .build());
        return this;
    }

    /** A consent ledger entry, as the ledger builds its append. */
    ContactWrite consent(Put ledgerAppend) {
        tx.put(prefix + "consent" + (entries++), ledgerAppend);
        return this;
    }

    /** Puts and deletes of tag memberships for the tags that changed. */
    ContactWrite tags(String contactId, List<String> before, List<String> after) {
        Set<String> old = new LinkedHashSet<>(before == null ? List.of() : before);
        Set<String> now = new LinkedHashSet<>(after == null ? List.of() : after);
        for (String tag : now) {
            if (!old.contains(tag)) {
                tx.put(prefix + "tag+" + tag, Put.builder().tableName(audienceTable)
                        .item(ContactStore.TAG.itemToMap(ContactStore.TagItem.of(tag, contactId), true)).build());
            }
        }
        for (String tag : old) {
            if (!now.contains(tag)) {
                tx.delete(prefix + "tag-" + tag, Delete.builder().tableName(audienceTable).key(Map.of(
                        AudienceTable.PK, AttributeValue.fromS(AudienceTable.tagKey(tag)),
                        AudienceTable.SK, AttributeValue.fromS(contactId))).build());
            }
        }
        return this;
    }

    /** How many items a change of tags writes, to pack transactions without overflowing them. */
    static int tagChanges(List<String> before, List<String> after) {
        Set<String> b = new LinkedHashSet<>(before == null ? List.of() : before);
        Set<String> a = new LinkedHashSet<>(after == null ? List.of() : after);
        int n = 0;
        for (String t : a) {
            n += b.contains(t) ? 0 : 1;
        }
        for (String t : b) {
            n += a.contains(t) ? 0 : 1;
        }
        return n;
    }

    private static Map<String, AttributeValue> versioned(ContactStore.ContactItem item, long version) {
        Map<String, AttributeValue> map = new HashMap<>(ContactStore.CONTACT.itemToMap(item, true));
        map.put("version", AttributeValue.fromN(Long.toString(version)));
        return map;
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }
}
