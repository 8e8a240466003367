package dev.dripline.drip;

import dev.dripline.contacts.Contact;
import dev.dripline.messaging.Sender;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The one zone a contact's local time is read in (a wait until 10:00, a local-time broadcast,
 * the frequency cap's day): the contact's own zone, else the first of the zones its quiet hours
 * respect (its number's), as {@link Sender#zones} resolves them. An unreadable stored zone
 * falls back to the number's, never to UTC.
 */
public final class ContactZone {

    private ContactZone() {
    }

    public static ZoneId of(Contact contact) {
        if (contact.timeZone() != null) {
            try {
                return ZoneId.of(contact.timeZone());
            } catch (RuntimeException unreadable) {
                // A name an older time-zone database knew: the number's zones still hold.
            }
        }
        return Sender.zones(Optional.of(contact), contact.phone()).get(0);
    }

    /** The contact's local day at {@code now}. */
    public static LocalDate day(Contact contact, Instant now) {
        return now.atZone(of(contact)).toLocalDate();
    }

    /** The start of the contact's next local day. */
    public static Instant nextDay(Contact contact, Instant now) {
        ZoneId zone = of(contact);
        return now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }
}
