package dev.dripline.receipts;

import dev.dripline.messaging.MessageStatus;
import java.time.Instant;

/**
 * A provider's delivery report, in the one status model.
 *
 * @param messageId Dripline's id, carried in the status callback URL
 * @param reportKey what makes this report unique at the provider (its id and status, or its
 *                  event id): the same report twice has one effect
 */
public record DeliveryReceipt(
        String provider,
        String messageId,
        String providerMessageId,
        MessageStatus status,
        String errorCode,
        Instant reportedAt,
        String reportKey) {
}
