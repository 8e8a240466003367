package dev.dripline.broadcasts;

import java.util.Locale;

/** Where a broadcast stands: scheduled, sending (its pages being read), fanned_out (every page read), cancelled, done. */
enum BroadcastStatus {
    SCHEDULED, SENDING, FANNED_OUT, CANCELLED, DONE;

    /** As stored and shown. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static BroadcastStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
