package dev.dripline.messaging.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The unrolled counting loop of {@link Segments#count} against a plain one-char-at-a-time
 * reference that reads the alphabet from the 3GPP tables themselves (not the packed class table),
 * for bodies cut to the lengths where the loop, its tail and the segment limits change.
 */
class SegmentCountingProperties {

    // Segment limits and their neighbours, the eight-char step and its tail, the 1023-char sum chunk.
    private static final Integer[] LENGTHS = {0, 1, 2, 7, 8, 9, 15, 16, 17, 67, 70, 71, 134, 152, 153, 154,
        159, 160, 161, 305, 306, 307, 458, 459, 460, 1015, 1022, 1023, 1024, 1025, 1031, 2046, 2047, 2048, 2049};

    @Provide
    Arbitrary<String> bodiesAtBoundaries() {
        Arbitrary<String> source = Arbitraries.frequencyOf(
                Tuple.of(4, BodiesForProperties.gsmBodies()),
                Tuple.of(3, BodiesForProperties.mixedBodies()),
                Tuple.of(2, BodiesForProperties.anyUtf16()))
                .filter(text -> !text.isEmpty());
        return Combinators.combine(source, Arbitraries.of(LENGTHS)).as(SegmentCountingProperties::cutTo);
    }

    /** Plain ASCII with one char that is not plain (extension, CR, outside GSM-7, a surrogate) somewhere. */
    @Provide
    Arbitrary<String> plainWithOneOddChar() {
        Arbitrary<String> plain = Arbitraries.strings().withChars("abcXYZ019 .,!?@$_\n").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> odd = Arbitraries.of("\r", "\r\n", "{", "€", "\f", "`", "é", "Ç", "ş", "\u00A0",
                "\u001B", "\u0000", "\u007F", "\uD83D\uDE00", "\uD83D", "\uDE00", "中");
        return Combinators.combine(plain, Arbitraries.of(LENGTHS), odd,
                Arbitraries.integers().between(0, 2048)).as((base, length, oddChar, at) -> {
                    StringBuilder text = new StringBuilder(cutTo(base, length));
                    text.insert(Math.min(at, text.length()), oddChar);
                    return text.toString();
                });
    }

    @Property(tries = 2000)
    @Label("the count equals the char-by-char reference at every boundary length")
    void countEqualsReference(@ForAll("bodiesAtBoundaries") String text) {
        SegmentCount expected = reference(text);
        assertThat(Segments.count(text)).as("String of %d chars", text.length()).isEqualTo(expected);
        assertThat(Segments.count(new StringBuilder(text))).as("CharSequence of %d chars", text.length())
                .isEqualTo(expected);
    }

    @Property(tries = 2000)
    @Label("one odd char anywhere in a plain body changes the count exactly as the reference says")
    void oneOddCharAnywhere(@ForAll("plainWithOneOddChar") String text) {
        SegmentCount expected = reference(text);
        assertThat(Segments.count(text)).as("String of %d chars", text.length()).isEqualTo(expected);
        assertThat(Segments.count(new StringBuilder(text))).as("CharSequence of %d chars", text.length())
                .isEqualTo(expected);
    }

    private static String cutTo(String source, int length) {
        StringBuilder text = new StringBuilder(length + source.length());
        while (text.length() < length) {
            text.append(source);
        }
        return text.substring(0, length); // may cut a surrogate pair: a lone surrogate is input too
    }

    /**
     * Straightforward count: a char is GSM-7 when it is in the basic table (1 septet) or the
     * extension table (2); GSM-7 parts are filled greedily with 153 septets, an escape pair or a
     * CR LF never split; UCS-2 parts are {@link Segments#ucs2PartEndByClusters}'s walk of whole
     * clusters (the splitting rules are not what this property is about).
     */
    static SegmentCount reference(CharSequence text) {
        int length = text.length();
        if (length == 0) {
            return new SegmentCount(SmsEncoding.GSM_7, 0, 0, 160);
        }
        int septets = 0;
        boolean gsm = true;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c != '\u001B' && GsmAlphabet.BASIC_TABLE.indexOf(c) >= 0) {
                septets += 1;
            } else if (GsmAlphabet.EXTENSION_TABLE.indexOf(c) >= 0) {
                septets += 2;
            } else {
                gsm = false;
            }
        }
        if (gsm) {
            if (septets <= 160) {
                return new SegmentCount(SmsEncoding.GSM_7, 1, septets, 160);
            }
            int parts = 1;
            int used = 0;
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                int cost = GsmAlphabet.EXTENSION_TABLE.indexOf(c) >= 0 ? 2 : 1;
                if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
                    cost = 2;
                    i++;
                }
                if (used + cost > 153) {
                    parts++;
                    used = 0;
                }
                used += cost;
            }
            return new SegmentCount(SmsEncoding.GSM_7, parts, septets, 153);
        }
        if (length <= 70) {
            return new SegmentCount(SmsEncoding.UCS_2, 1, length, 70);
        }
        int parts = 0;
        for (int start = 0; start < length; start = Segments.ucs2PartEndByClusters(text, start)) {
            parts++;
        }
        return new SegmentCount(SmsEncoding.UCS_2, parts, length, 67);
    }
}
