package dev.dripline.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One message, either way, as the API shows it.
 *
 * @param history every status reported, in arrival order, including late ones that did not
 *                change {@code status}
 * @param sendAt  when a scheduled message is due; null for one sent at once
 * @param origin  the campaign step or broadcast it was sent for; null for one of its own
 */
public record Message(
        String id,
        Direction direction,
        String contactId,
        String to,
        String from,
        String body,
        Category category,
        MessageStatus status,
        List<StatusChange> history,
        String provider,
        String providerMessageId,
        String encoding,
        Integer segments,
        BigDecimal cost,
        String errorCode,
        Instant createdAt,
        Instant sendAt,
        Origin origin) {

    /** A message of its own (no campaign, no broadcast). */
    public Message(String id, Direction direction, String contactId, String to, String from, String body, Category category,
                   MessageStatus status, List<StatusChange> history, String provider, String providerMessageId, String encoding,
                   Integer segments, BigDecimal cost, String errorCode, Instant createdAt, Instant sendAt) {
        this(id, direction, contactId, to, from, body, category, status, history, provider, providerMessageId, encoding, segments,
                cost, errorCode, createdAt, sendAt, null);
    }

    /** A status as reported, when it was recorded, and the provider's error code if any. */
    public record StatusChange(MessageStatus status, Instant at, String errorCode) {
    }
}
