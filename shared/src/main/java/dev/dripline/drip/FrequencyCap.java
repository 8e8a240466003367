package dev.dripline.drip;

import dev.dripline.contacts.Contact;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStore;
import java.time.Instant;

/**
 * The daily frequency cap (DRIPLINE_FREQUENCY_CAP): marketing messages a contact may get per
 * local day, across every campaign and broadcast. The one place a marketing message is created
 * with its count, on the contact's day as {@link ContactZone} reads it.
 */
public final class FrequencyCap {

    /** What became of a message: made now, made before (a duplicate delivery), or not made (the cap). */
    public enum Outcome { CREATED, ALREADY_CREATED, CAPPED }

    private final JourneyStore store;
    private final MessageStore messages;
    private final int dailyCap;

    public FrequencyCap(JourneyStore store, MessageStore messages, int dailyCap) {
        this.store = store;
        this.messages = messages;
        this.dailyCap = dailyCap;
    }

    /** Creates the message; a marketing one only within the contact's cap for the day, and counted. */
    public Outcome create(Message m, Contact contact, Instant now) {
        boolean counted = m.category() == Category.MARKETING;
        return store.createCounted(messages.createPut(m), contact.id(), counted ? ContactZone.day(contact, now) : null, dailyCap, now);
    }

    /** When a capped contact may next be messaged: the start of their next local day. */
    public Instant nextDay(Contact contact, Instant now) {
        return ContactZone.nextDay(contact, now);
    }
}
