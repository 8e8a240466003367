package dev.dripline.consent;

import java.time.Instant;

/**
 * One line of the append-only consent ledger: a change of one contact's marketing consent,
 * with the evidence an auditor asks for.
 *
 * @param source  how it was captured: web_form, api, keyword, import, provider_report...
 * @param proof   the exact wording shown, or the keyword received
 * @param actor   who recorded it: an API key's name, "system", a provider
 * @param topic   the topic it changes; null: the contact's consent as a whole (every topic)
 * @param scope   for a revocation by keyword: {@code all} or {@code topic}, as applied
 * @param rule    why that scope: the rules table's row ({@code us-fcc-revocation-topic}) or the setting
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
        Instant recordedAt,
        String topic,
        String scope,
        String rule) {

    /** An entry about the contact's consent as a whole. */
    public ConsentEntry(String contactId, String entryId, ConsentStatus status, String channel, String source, String proof, String ip,
                        String userAgent, String actor, Instant capturedAt, Instant recordedAt) {
        this(contactId, entryId, status, channel, source, proof, ip, userAgent, actor, capturedAt, recordedAt, null, null, null);
    }
}
