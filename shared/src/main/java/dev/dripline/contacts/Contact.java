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
 * @param topics    consent per topic where the contact gave or withdrew it for that topic alone
 *                  ({@code {"marketing": "opted_out"}}); see {@link #consentFor}
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
        Instant updatedAt,
        Map<String, ConsentStatus> topics) {

    public Contact {
        topics = topics == null ? Map.of() : Map.copyOf(topics);
    }

    /** A contact with no topic of its own (every topic follows {@code consent}). */
    public Contact(String id, String phone, String country, String numberType, String firstName, String lastName, String email,
                   String timeZone, List<String> timeZones, Map<String, Object> attributes, List<String> tags, ConsentStatus consent,
                   Instant createdAt, Instant updatedAt) {
        this(id, phone, country, numberType, firstName, lastName, email, timeZone, timeZones, attributes, tags, consent, createdAt,
                updatedAt, Map.of());
    }

    /**
     * The consent that governs a message of {@code topic}: opted out of everything (STOP ALL,
     * erasure) wins; else the topic's own, where the contact gave or withdrew it; else {@code
     * consent}. A null topic (a keyword reply) follows {@code consent}.
     */
    public ConsentStatus consentFor(String topic) {
        if (consent == ConsentStatus.OPTED_OUT || topic == null) {
            return consent;
        }
        return topics.getOrDefault(topic, consent);
    }
}
