package dev.dripline.consent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Marketing consent of one contact. {@code NONE}: never asked, so no marketing. */
public enum ConsentStatus {
    NONE, PENDING, OPTED_IN, OPTED_OUT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form ({@code opted_in}); null for anything else. */
    @JsonCreator
    public static ConsentStatus fromWire(String value) {
        if (value == null) {
            return null;
        }
        for (ConsentStatus s : values()) {
            if (s.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }
}
