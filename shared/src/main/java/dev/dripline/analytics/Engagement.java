package dev.dripline.analytics;

import java.time.Instant;

/** What recipients do with messages, told by short links and conversations so that analytics can credit it. */
public interface Engagement {

    /** A tracked link in message {@code messageId} was followed. */
    void clicked(String messageId, Instant at);

    /** The contact wrote to us (not an opt-out keyword). */
    void replied(String contactId, Instant at);

    /** The contact opted out; {@code messageId} is the message a provider reported it on, else null. */
    void optedOut(String contactId, String messageId, Instant at);

    /** An inbound message was stored (once per provider message, keywords included); {@code mms}: it carries media. */
    default void received(boolean mms, Instant at) {
    }

    Engagement NONE = new Engagement() {
        @Override
        public void clicked(String messageId, Instant at) {
        }

        @Override
        public void replied(String contactId, Instant at) {
        }

        @Override
        public void optedOut(String contactId, String messageId, Instant at) {
        }
    };
}
