package dev.dripline.messaging;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One status model for every provider. A status only moves forward: {@link #rank()} orders
 * them, and the four final ones share the top rank, so the first final word wins.
 */
public enum MessageStatus {
    /** Dripline took the request; not yet handed to a provider. */
    ACCEPTED(0),
    /**
     * A provider call got no answer that tells whether it sent the message (a timeout, a reset,
     * a 500). It ranks with {@code accepted}: any later word (a receipt, the provider's own
     * records, a send once they prove nothing went) moves it on; {@code accepted} never comes
     * back. The store lets it replace {@code accepted} only.
     */
    UNKNOWN(0),
    /** A provider took it and holds it in its queue. */
    QUEUED(1),
    /** The provider handed it to the carrier. */
    SENT(2),
    DELIVERED(3),
    UNDELIVERED(3),
    FAILED(3),
    EXPIRED(3);

    private final int rank;

    MessageStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public boolean isFinal() {
        return rank == 3;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MessageStatus fromWire(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
