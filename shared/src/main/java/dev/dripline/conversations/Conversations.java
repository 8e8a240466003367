package dev.dripline.conversations;

import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.logging.Masked;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.MessageStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Inbound messages: each lands once in its sender's conversation, creating the contact if new. */
public final class Conversations {

    private static final Logger LOG = LoggerFactory.getLogger(Conversations.class);

    private final Contacts contacts;
    private final MessageStore messages;

    public Conversations(Contacts contacts, MessageStore messages) {
        this.contacts = contacts;
        this.messages = messages;
    }

    /**
     * Stores an inbound message under an id derived from the provider's, so a provider that
     * retries the same message stores it once.
     *
     * @return the stored message, or null if this inbound message was already stored
     */
    public Message receive(InboundSms sms) {
        PhoneNumber from = PhoneNumber.parse(sms.from(), null, "from");
        Contact contact = contacts.findOrCreate(from, sms.provider());
        Message message = new Message("in_" + sms.provider() + "_" + sms.providerMessageId(), Direction.INBOUND, contact.id(),
                sms.to(), from.e164(), sms.body(), null, MessageStatus.DELIVERED,
                List.of(new Message.StatusChange(MessageStatus.DELIVERED, sms.receivedAt(), null)),
                sms.provider(), sms.providerMessageId(), null, null, null, null, sms.receivedAt(), null);
        try {
            messages.create(message);
        } catch (ConditionalCheckFailedException duplicate) {
            LOG.info("inbound {} from {} already stored", sms.providerMessageId(), Masked.phone(from.e164()));
            return null;
        }
        LOG.info("inbound {} from {} ({})", message.id(), Masked.phone(from.e164()), Masked.body(sms.body()));
        return message;
    }
}
