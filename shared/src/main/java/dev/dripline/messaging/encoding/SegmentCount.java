package dev.dripline.messaging.encoding;

import java.util.Objects;

/**
 * How many SMS segments a body takes.
 *
 * @param encoding        GSM-7 or UCS-2
 * @param segments        parts a provider sends (and bills); 0 for an empty body
 * @param units           septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2
 * @param unitsPerSegment 160 / 70 when the body travels alone (or is empty), 153 / 67 when concatenated
 */
public record SegmentCount(SmsEncoding encoding, int segments, int units, int unitsPerSegment) {

    public SegmentCount {
        Objects.requireNonNull(encoding, "encoding");
        if (segments < 0 || units < 0) {
            throw new IllegalArgumentException("segments and units cannot be negative");
        }
        int expected = segments > 1 ? encoding.partLimit() : encoding.singleLimit();
        if (unitsPerSegment != expected) {
            throw new IllegalArgumentException(
                    "a " + encoding.label() + " body of " + segments + " segment(s) holds "
                            + expected + " units per segment, not " + unitsPerSegment);
        }
    }

    /** The count for a body split into {@code segments} parts of {@code encoding}. */
    static SegmentCount of(SmsEncoding encoding, int segments, int units) {
        return new SegmentCount(encoding, segments,
                units, segments > 1 ? encoding.partLimit() : encoding.singleLimit());
    }

    /** Whether the body travels as a concatenated (multi-part) message. */
    public boolean concatenated() {
        return segments > 1;
    }
}
