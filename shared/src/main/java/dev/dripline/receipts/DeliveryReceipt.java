package dev.dripline.receipts;

import dev.dripline.messaging.MessageStatus;
import java.time.Instant;

/**
 * A provider's delivery report, in the one status model.
 *
 * @param messageId         Dripline's id, carried in the status callback URL
 * @param errorCode         the provider's own error code, kept as it sent it
 * @param reportKey         what makes this report unique at the provider (its id and status, or
 *                          its event id): the same report twice has one effect
 * @param recipientOptedOut the provider says the recipient blocked us (Twilio 21610, Telnyx
 *                          40300...): an opt-out for the ledger
 */
public record DeliveryReceipt(
        String provider,
        String messageId,
        String providerMessageId,
        MessageStatus status,
        String errorCode,
        Instant reportedAt,
        String reportKey,
        boolean recipientOptedOut) {

    public DeliveryReceipt(String provider, String messageId, String providerMessageId, MessageStatus status, String errorCode,
                           Instant reportedAt, String reportKey) {
        this(provider, messageId, providerMessageId, status, errorCode, reportedAt, reportKey, false);
    }
}
