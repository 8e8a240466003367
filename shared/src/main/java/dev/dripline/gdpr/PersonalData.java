package dev.dripline.gdpr;

import dev.dripline.consent.ConsentLedger;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.errors.NotFound;
import dev.dripline.messaging.MessageStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GDPR rights of access (Art. 15) and erasure (Art. 17) for one contact.
 *
 * <p>Erasure scrubs the messages first (bodies and numbers; idempotent), then removes the
 * contact, its phone claim and tags and puts the number's salted hash on the suppression list in
 * one transaction: if it stops half-way, the contact is still there and erasing again finishes
 * it. The consent ledger is kept: it holds no number or name, and it is the evidence of consent
 * the law asks a sender to keep (GDPR Art. 17(3)(e), TCPA); it gains an entry for the erasure.
 */
public final class PersonalData {

    private static final Logger LOG = LoggerFactory.getLogger(PersonalData.class);

    private final Contacts contacts;
    private final ConsentLedger ledger;
    private final MessageStore messages;
    private final Clock clock;

    public PersonalData(Contacts contacts, ConsentLedger ledger, MessageStore messages, Clock clock) {
        this.contacts = contacts;
        this.ledger = ledger;
        this.messages = messages;
        this.clock = clock;
    }

    /** Everything held about a contact: the contact, its consent ledger, its messages both ways. */
    public Map<String, Object> export(String contactId) {
        Contact contact = contacts.get(contactId).orElseThrow(() -> new NotFound("contact", contactId));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("exportedAt", clock.instant());
        all.put("contact", contact);
        all.put("consent", ledger.entries(contactId));
        all.put("messages", messages.allOf(contactId));
        return all;
    }

    public void erase(String contactId, String actor) {
        contacts.get(contactId).orElseThrow(() -> new NotFound("contact", contactId));
        int scrubbed = messages.scrub(contactId);
        contacts.erase(contactId, actor);
        LOG.info("contact {} erased by {}: {} messages scrubbed, number on the suppression list", contactId, actor, scrubbed);
    }
}
