package dev.dripline.messaging;

import java.time.Instant;

/**
 * What the sender's checks read of a message before its claim (the recipient, category, age,
 * sender number, segments), carried on the send queue by the request the API queues with the
 * message it has just stored, so that round needs no read of the message. Immutable facts only:
 * the status and the dispatch state are the claim's to check.
 *
 * @param topic the consent topic the message is sent under: a withdrawn topic stops it as an opt-out does
 */
public record SendCard(String contactId, String to, String from, String body, String category, String encoding, Integer segments,
                       Instant createdAt, String topic) {

    static SendCard of(Message m) {
        return new SendCard(m.contactId(), m.to(), m.from(), m.body(), m.category() == null ? null : m.category().wire(), m.encoding(),
                m.segments(), m.createdAt(), m.topic());
    }

    /** The message as the card describes it, {@code accepted}: for the checks before the claim. */
    Message message(String id) {
        return Message.outbound(id).between(contactId, to, from).body(body, encoding, segments)
                .category(category == null ? null : Category.fromWire(category)).topic(topic).firstStatus(MessageStatus.ACCEPTED, createdAt)
                .createdAt(createdAt).build();
    }
}
