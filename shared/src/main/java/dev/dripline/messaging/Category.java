package dev.dripline.messaging;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Marketing needs opt-in consent and waits for quiet hours; transactional (codes, order
 * updates) needs neither, but still never goes to a number that opted out.
 */
public enum Category {
    MARKETING, TRANSACTIONAL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form; null for anything else. */
    public static Category fromWire(String value) {
        if (value == null) {
            return null;
        }
        for (Category c : values()) {
            if (c.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }
}
