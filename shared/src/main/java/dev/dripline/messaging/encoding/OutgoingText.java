package dev.dripline.messaging.encoding;

import java.util.Objects;

/**
 * The body a sender hands to a provider, and what it costs.
 *
 * @param text         the body to send: the original, or its smart-encoded rewrite
 * @param count        its segments
 * @param smartEncoded whether {@code text} is the smart-encoded rewrite
 */
public record OutgoingText(String text, SegmentCount count, boolean smartEncoded) {

    public OutgoingText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(count, "count");
    }
}
