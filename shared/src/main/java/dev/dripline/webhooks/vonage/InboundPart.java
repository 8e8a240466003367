package dev.dripline.webhooks.vonage;

import java.time.Instant;

/**
 * An inbound message from Vonage, whole or one part of a long one.
 *
 * @param concatRef   the reference shared by the parts of one long message; null when whole
 * @param total       how many parts the long message has; null when whole
 * @param part        this part's number, from 1; null when whole
 */
public record InboundPart(String messageId, String from, String to, String text, String concatRef, Integer total, Integer part,
                          Instant receivedAt) {

    public boolean whole() {
        return concatRef == null;
    }
}
