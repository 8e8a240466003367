package dev.dripline.contacts;

import dev.dripline.consent.ConsentStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A person Dripline may text, as the API shows them.
 *
 * @param timeZone  the zone messages are timed in: the one given, else the number's first candidate
 * @param timeZones every zone the number may be in when none was given (quiet hours respect all)
 * @param consent   the current marketing consent, derived from the ledger
 */
public record Contact(
        String id,
        String phone,
        String country,
        String numberType,
        String firstName,
        String lastName,
        String email,
        String timeZone,
        List<String> timeZones,
        Map<String, Object> attributes,
        List<String> tags,
        ConsentStatus consent,
        Instant createdAt,
        Instant updatedAt) {
}
