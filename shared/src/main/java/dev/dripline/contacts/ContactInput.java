package dev.dripline.contacts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an integrator sends to create or update a contact. Every field but {@code phone} is
 * optional; on an existing contact, the fields given replace the stored ones, attributes merge
 * by name and tags are added.
 */
public record ContactInput(
        String phone,
        String country,
        String firstName,
        String lastName,
        String email,
        String timeZone,
        Map<String, Object> attributes,
        List<String> tags,
        ConsentInput consent) {

    /**
     * Consent captured outside Dripline, with its evidence.
     *
     * @param status opted_in, opted_out or pending (double opt-in)
     * @param source web_form, api, import, ...
     * @param proof  the exact wording the person was shown
     */
    public record ConsentInput(String status, String source, Instant capturedAt, String proof, String ip, String userAgent) {
    }
}
