package dev.dripline.receipts;

import dev.dripline.analytics.Engagement;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contacts;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStore;
import dev.dripline.outbound.OutboundWebhooks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies delivery receipts to messages: once each, and never moving a status backwards. A
 * report that the recipient blocked us is an opt-out, written to the consent ledger.
 */
public final class Receipts {

    private static final Logger LOG = LoggerFactory.getLogger(Receipts.class);

    private final MessageStore messages;
    private final Contacts contacts;
    private final OutboundWebhooks webhooks;
    private final Engagement engagement;

    public Receipts(MessageStore messages, Contacts contacts, OutboundWebhooks webhooks) {
        this(messages, contacts, webhooks, Engagement.NONE);
    }

    /** @param engagement told of opt-outs reported on a message, credited to that message's campaign */
    public Receipts(MessageStore messages, Contacts contacts, OutboundWebhooks webhooks, Engagement engagement) {
        this.engagement = engagement;
        this.messages = messages;
        this.contacts = contacts;
        this.webhooks = webhooks;
    }

    /** @return true if the receipt was recorded now; false if it was a duplicate or names no message */
    public boolean apply(DeliveryReceipt receipt) {
        boolean recorded = messages.recordStatus(receipt.messageId(), receipt.status(), receipt.errorCode(),
                receipt.reportedAt(), receipt.provider() + ":" + receipt.reportKey());
        if (!recorded) {
            LOG.info("receipt {} from {} for {}: duplicate or unknown message, ignored", receipt.reportKey(), receipt.provider(),
                    receipt.messageId());
            return false;
        }
        if (webhooks.enabled()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("messageId", receipt.messageId());
            data.put("status", receipt.status().wire());
            data.put("errorCode", receipt.errorCode());
            data.put("provider", receipt.provider());
            data.put("providerMessageId", receipt.providerMessageId());
            webhooks.publish("message.status", "evt_" + receipt.messageId() + "_" + receipt.provider() + ":" + receipt.reportKey(),
                    receipt.reportedAt(), data);
        }
        if (receipt.recipientOptedOut()) {
            Optional<Message> message = messages.get(receipt.messageId());
            message.ifPresent(m -> {
                // No confirmation: the provider already blocks the number, and said so.
                boolean changed = contacts.changeConsent(m.contactId(), ConsentStatus.OPTED_OUT, "provider_report",
                        receipt.provider() + " error " + receipt.errorCode() + " on " + receipt.providerMessageId(),
                        receipt.provider(), receipt.reportedAt(), s -> true, tx -> { });
                LOG.info("contact {} reported blocked by {} ({}): {}", m.contactId(), receipt.provider(), receipt.errorCode(),
                        changed ? "opted out" : "already opted out");
                if (changed) {
                    engagement.optedOut(m.contactId(), m.id(), receipt.reportedAt());
                }
            });
        }
        return true;
    }
}
