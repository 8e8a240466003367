package dev.dripline.consent;

import java.time.Instant;

/**
 * One line of the append-only consent ledger: a change of one contact's marketing consent,
 * with the evidence an auditor asks for.
 *
 * @param source  how it was captured: web_form, api, keyword, import, provider_report...
 * @param proof   the exact wording shown, or the keyword received
 * @param actor   who recorded it: an API key's name, "system", a provider
 */
public record ConsentEntry(
        String contactId,
        String entryId,
        ConsentStatus status,
        String channel,
        String source,
        String proof,
        String ip,
        String userAgent,
        String actor,
        Instant capturedAt,
        Instant recordedAt) {
}
