package dev.dripline.conversations;

import dev.dripline.contacts.Contact;
import dev.dripline.logging.Masked;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.OneOffMessage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Double opt-in: a contact whose consent becomes pending is asked to confirm by text, through the
 * normal Messages path (transactional: it is the confirmation of a request, not marketing). The
 * reply YES or 是 is handled by the keyword engine ({@link Conversations}), which moves a pending
 * contact to opted_in with a ledger entry citing the reply.
 */
public final class DoubleOptIn {

    private static final Logger LOG = LoggerFactory.getLogger(DoubleOptIn.class);

    private final Supplier<Messages> messages;
    private final String brand;

    public DoubleOptIn(Supplier<Messages> messages, String brand) {
        this.messages = messages;
        this.brand = brand;
    }

    public static String question(String brand) {
        return brand + ": Reply YES to confirm you want texts from us. Msg&data rates may apply. Reply STOP to opt out.";
    }

    public void ask(Contact contact) {
        messages.get().submit(new OneOffMessage(contact.phone(), null, question(brand), "transactional", null, null), "double-opt-in");
        LOG.info("double opt-in question sent to contact {} ({})", contact.id(), Masked.phone(contact.phone()));
    }
}
