package dev.dripline.messaging;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum Direction {
    OUTBOUND, INBOUND;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
