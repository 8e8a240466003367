package dev.dripline.receipts;

import dev.dripline.messaging.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies delivery receipts to messages: once each, and never moving a status backwards. */
public final class Receipts {

    private static final Logger LOG = LoggerFactory.getLogger(Receipts.class);

    private final MessageStore messages;

    public Receipts(MessageStore messages) {
        this.messages = messages;
    }

    /** @return true if the receipt was recorded now; false if it was a duplicate or names no message */
    public boolean apply(DeliveryReceipt receipt) {
        boolean recorded = messages.recordStatus(receipt.messageId(), receipt.status(), receipt.errorCode(),
                receipt.reportedAt(), receipt.provider() + ":" + receipt.reportKey());
        if (!recorded) {
            LOG.info("receipt {} from {} for {}: duplicate or unknown message, ignored", receipt.reportKey(), receipt.provider(),
                    receipt.messageId());
        }
        return recorded;
    }
}
