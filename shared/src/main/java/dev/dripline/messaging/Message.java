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
        Instant sendAt) {

    /** A status as reported, when it was recorded, and the provider's error code if any. */
    public record StatusChange(MessageStatus status, Instant at, String errorCode) {
    }
}
