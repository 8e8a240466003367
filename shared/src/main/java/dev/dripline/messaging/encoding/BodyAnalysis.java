package dev.dripline.messaging.encoding;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the preview shows about a body.
 *
 * @param count             the segments of the body that would be sent (the smart-encoded one when applied)
 * @param smartEncodedText  the rewritten body, present only when smart encoding lowered the segment count
 * @param replacements      what smart encoding replaced; empty when it was not applied
 * @param ucs2Characters    the characters of the original body outside GSM-7, in order
 */
public record BodyAnalysis(SegmentCount count, Optional<String> smartEncodedText,
                           List<Replacement> replacements, List<Ucs2Character> ucs2Characters) {

    public BodyAnalysis {
        Objects.requireNonNull(count, "count");
        Objects.requireNonNull(smartEncodedText, "smartEncodedText");
        replacements = List.copyOf(replacements);
        ucs2Characters = List.copyOf(ucs2Characters);
        if (smartEncodedText.isEmpty() && !replacements.isEmpty()) {
            throw new IllegalArgumentException("replacements without a smart-encoded text");
        }
    }

    public boolean smartEncodingApplied() {
        return smartEncodedText.isPresent();
    }
}
