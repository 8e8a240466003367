package dev.dripline.messaging;

import dev.dripline.compliance.QuietHours;
import dev.dripline.compliance.QuietHours.Jurisdiction;
import java.time.ZoneId;
import java.time.ZoneOffset;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** When a message may still go: its validity, and quiet hours for marketing (one rule for the sender's checks). */
final class SendWindow {

    private final SenderSettings policy;
    private final Clock clock;

    SendWindow(SenderSettings policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** The last moment the message may still be sent: see {@link #expired}. */
    Instant validUntil(Message message, Optional<Contact> contact, boolean optOutConfirmation) {
        Instant born = message.sendAt() != null ? message.sendAt() : message.createdAt();
        if (heldByQuietHours(message, optOutConfirmation)) {
            String country = contact.map(Contact::country).orElseGet(() -> countryOf(message.to()));
            born = QuietHours.nextAllowed(born, zones(contact, message.to()), Jurisdiction.of(country, message.to(), contact.map(Contact::attributes).orElse(null)));
        }
        return born.plus(policy.validity());
    }

    /**
     * Older than its validity: from when it was due (a scheduled message) or accepted, or for
     * marketing from when quiet hours first let it go (a weekend in France is not its fault).
     */
    boolean expired(Message message, Optional<Contact> contact, boolean optOutConfirmation) {
        Instant born = message.sendAt() != null ? message.sendAt() : message.createdAt();
        if (!clock.instant().isAfter(born.plus(policy.validity()))) {
            return false;
        }
        if (heldByQuietHours(message, optOutConfirmation)) {
            String country = contact.map(Contact::country).orElseGet(() -> countryOf(message.to()));
            born = QuietHours.nextAllowed(born, zones(contact, message.to()), Jurisdiction.of(country, message.to(), contact.map(Contact::attributes).orElse(null)));
        }
        return clock.instant().isAfter(born.plus(policy.validity()));
    }

    static boolean heldByQuietHours(Message message, boolean optOutConfirmation) {
        return message.category() == Category.MARKETING && !optOutConfirmation;
    }

    /** Every zone the recipient may be in: the contact's own, else all its number's candidates. */
    static List<ZoneId> zones(Optional<Contact> contact, String e164) {
        List<String> names = contact.map(c -> c.timeZones() != null && !c.timeZones().isEmpty() ? c.timeZones()
                : c.timeZone() == null ? List.<String>of() : List.of(c.timeZone())).orElse(List.of());
        if (names.isEmpty()) {
            try {
                names = PhoneNumber.parse(e164, null, "to").timeZones();
            } catch (RuntimeException unparseable) {
                names = List.of();
            }
        }
        List<ZoneId> zones = new ArrayList<>();
        for (String name : names) {
            try {
                zones.add(ZoneId.of(name));
            } catch (RuntimeException unknown) {
                // An unknown zone name cannot be honoured; the others still are.
            }
        }
        return zones.isEmpty() ? List.of(ZoneOffset.UTC) : zones;
    }

    static String countryOf(String e164) {
        try {
            return PhoneNumber.parse(e164, null, "to").country();
        } catch (RuntimeException unparseable) {
            return null;
        }
    }
}
