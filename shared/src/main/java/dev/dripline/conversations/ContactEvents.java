package dev.dripline.conversations;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where events about a contact go (a keyword's {@code contest_entry}): the port the journeys
 * engine will consume. Until it exists the default implementation logs the event; tests record them.
 */
public interface ContactEvents {

    /**
     * @param idempotencyKey the same key twice is one event (a redelivered inbound message)
     */
    void emit(String contactId, String name, Instant occurredAt, String idempotencyKey);

    /** An event with properties (a keyword program's {@code park_requested} with {@code lot}); the default drops the properties. */
    default void emit(String contactId, String name, java.util.Map<String, Object> properties, Instant occurredAt, String idempotencyKey) {
        emit(contactId, name, occurredAt, idempotencyKey);
    }

    /** An inbound message that is no opt-out or help keyword: a campaign step may wait for it. */
    default void replied(String contactId, String messageId, String body, Instant at) {
    }

    /** The same, saying whether the text is a keyword (START, Y, a configured one), which a survey does not take as an answer. */
    default void replied(String contactId, String messageId, String body, Instant at, boolean keyword) {
        replied(contactId, messageId, body, at);
    }

    /** The contact opted out (a keyword): its marketing enrolments end. */
    default void optedOut(String contactId, Instant at) {
    }

    ContactEvents LOGGED = new ContactEvents() {
        private final Logger log = LoggerFactory.getLogger(ContactEvents.class);

        @Override
        public void emit(String contactId, String name, Instant occurredAt, String idempotencyKey) {
            log.info("event {} for contact {} at {} ({})", name, contactId, occurredAt, idempotencyKey);
        }
    };
}
