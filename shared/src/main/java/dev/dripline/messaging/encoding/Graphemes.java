package dev.dripline.messaging.encoding;

/**
 * Extended grapheme cluster boundaries (Unicode UAX #29), enough to keep what a reader sees as
 * one character in one SMS part.
 *
 * <p>JDK 17's {@code BreakIterator.getCharacterInstance()} splits emoji modifier sequences,
 * ZWJ sequences and flag pairs (it predates emoji in UAX #29), and {@code \X} in
 * {@code java.util.regex} allocates a matcher; so the rules are here: GB3-GB13 with
 * Extend, ZWJ, SpacingMark, Prepend, Hangul syllables, Extended_Pictographic and regional
 * indicators. The tests check this class against {@code \X}.
 */
final class Graphemes {

    private static final int OTHER = 0;
    private static final int CR = 1;
    private static final int LF = 2;
    private static final int CONTROL = 3;
    private static final int EXTEND = 4;
    private static final int ZWJ = 5;
    private static final int SPACING_MARK = 6;
    private static final int PREPEND = 7;
    private static final int REGIONAL_INDICATOR = 8;
    private static final int EXTENDED_PICTOGRAPHIC = 9;
    private static final int L = 10;
    private static final int V = 11;
    private static final int T = 12;
    private static final int LV = 13;
    private static final int LVT = 14;

    /** Extended_Pictographic from 0x2000 up (emoji-data.txt), as inclusive [first, last] pairs, sorted. */
    private static final int[] PICTOGRAPHIC = {
        0x203C, 0x203C, 0x2049, 0x2049, 0x2122, 0x2122, 0x2139, 0x2139, 0x2194, 0x2199,
        0x21A9, 0x21AA, 0x231A, 0x231B, 0x2328, 0x2328, 0x2388, 0x2388, 0x23CF, 0x23CF,
        0x23E9, 0x23F3, 0x23F8, 0x23FA, 0x24C2, 0x24C2, 0x25AA, 0x25AB, 0x25B6, 0x25B6,
        0x25C0, 0x25C0, 0x25FB, 0x25FE, 0x2600, 0x2605, 0x2607, 0x2612, 0x2614, 0x2685,
        0x2690, 0x2705, 0x2708, 0x2712, 0x2714, 0x2714, 0x2716, 0x2716, 0x271D, 0x271D,
        0x2721, 0x2721, 0x2728, 0x2728, 0x2733, 0x2734, 0x2744, 0x2744, 0x2747, 0x2747,
        0x274C, 0x274C, 0x274E, 0x274E, 0x2753, 0x2755, 0x2757, 0x2757, 0x2763, 0x2767,
        0x2795, 0x2797, 0x27A1, 0x27A1, 0x27B0, 0x27B0, 0x27BF, 0x27BF, 0x2934, 0x2935,
        0x2B05, 0x2B07, 0x2B1B, 0x2B1C, 0x2B50, 0x2B50, 0x2B55, 0x2B55, 0x3030, 0x3030,
        0x303D, 0x303D, 0x3297, 0x3297, 0x3299, 0x3299,
        0x1F000, 0x1F0FF, 0x1F10D, 0x1F10F, 0x1F12F, 0x1F12F, 0x1F16C, 0x1F171, 0x1F17E, 0x1F17F,
        0x1F18E, 0x1F18E, 0x1F191, 0x1F19A, 0x1F1AD, 0x1F1E5, 0x1F201, 0x1F20F, 0x1F21A, 0x1F21A,
        0x1F22F, 0x1F22F, 0x1F232, 0x1F23A, 0x1F23C, 0x1F23F, 0x1F249, 0x1F3FA, 0x1F400, 0x1F53D,
        0x1F546, 0x1F64F, 0x1F680, 0x1F6FF, 0x1F774, 0x1F77F, 0x1F7D5, 0x1F7FF, 0x1F80C, 0x1F80F,
        0x1F848, 0x1F84F, 0x1F85A, 0x1F85F, 0x1F888, 0x1F88F, 0x1F8AE, 0x1F8FF, 0x1F90C, 0x1F93A,
        0x1F93C, 0x1F945, 0x1F947, 0x1FAFF, 0x1FC00, 0x1FFFD,
    };

    /** Grapheme_Cluster_Break=Prepend outside the Indic repha letters. */
    private static final int[] PREPENDED = {
        0x0600, 0x0605, 0x06DD, 0x06DD, 0x070F, 0x070F, 0x0890, 0x0891, 0x08E2, 0x08E2,
        0x0D4E, 0x0D4E, 0x110BD, 0x110BD, 0x110CD, 0x110CD, 0x111C2, 0x111C3, 0x1193F, 0x1193F,
        0x11941, 0x11941, 0x11A3A, 0x11A3A, 0x11A84, 0x11A89, 0x11D46, 0x11D46,
    };

    // The break property of every BMP char, computed once (about a millisecond) so splitting
    // long UCS-2 bodies costs a byte load per char instead of range searches.
    private static final byte[] BMP_KINDS = new byte[Character.MAX_VALUE + 1];

    static {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            BMP_KINDS[c] = (byte) computeKind(c);
        }
    }

    private Graphemes() {
    }

    /** The end (exclusive) of the grapheme cluster that starts at {@code start}. */
    static int end(CharSequence text, int start) {
        int length = text.length();
        int codePoint = Character.codePointAt(text, start);
        int i = start + Character.charCount(codePoint);
        int previous = kind(codePoint);
        boolean pictographicRun = previous == EXTENDED_PICTOGRAPHIC; // ExtPict Extend*
        boolean pictographicZwj = false;                             // ExtPict Extend* ZWJ
        int regionalIndicators = previous == REGIONAL_INDICATOR ? 1 : 0;
        while (i < length) {
            codePoint = Character.codePointAt(text, i);
            int current = kind(codePoint);
            if (breaksBetween(previous, current, pictographicZwj, regionalIndicators)) {
                break;
            }
            if (current == ZWJ) {
                pictographicZwj = pictographicRun;
                pictographicRun = false;
            } else if (current != EXTEND) {
                pictographicRun = current == EXTENDED_PICTOGRAPHIC;
                pictographicZwj = false;
            } else {
                pictographicZwj = false;
            }
            regionalIndicators = current == REGIONAL_INDICATOR ? regionalIndicators + 1 : 0;
            previous = current;
            i += Character.charCount(codePoint);
        }
        return i;
    }

    /** Whether {@code index} is a cluster boundary, decided from the two code points around it. */
    enum Boundary { YES, NO, NEEDS_CONTEXT }

    /**
     * The boundary at {@code index} (0 &lt; index &lt; length) from its neighbours alone. Only
     * GB11 (ZWJ then pictograph) and GB12/13 (regional indicator pairs) look further back; for
     * those the answer is {@link Boundary#NEEDS_CONTEXT} and the caller walks from a known boundary.
     */
    static Boundary at(CharSequence text, int index) {
        if (Character.isLowSurrogate(text.charAt(index)) && Character.isHighSurrogate(text.charAt(index - 1))) {
            return Boundary.NO;
        }
        int previous = kind(Character.codePointBefore(text, index));
        int current = kind(Character.codePointAt(text, index));
        if ((previous == ZWJ && current == EXTENDED_PICTOGRAPHIC)
                || (previous == REGIONAL_INDICATOR && current == REGIONAL_INDICATOR)) {
            return Boundary.NEEDS_CONTEXT;
        }
        return breaksBetween(previous, current, false, 0) ? Boundary.YES : Boundary.NO;
    }

    private static boolean breaksBetween(int previous, int current, boolean pictographicZwj, int regionalIndicators) {
        if (previous == CR && current == LF) {
            return false;                                                     // GB3
        }
        if (previous == CR || previous == LF || previous == CONTROL) {
            return true;                                                      // GB4
        }
        if (current == CR || current == LF || current == CONTROL) {
            return true;                                                      // GB5
        }
        switch (previous) {
            case L -> {
                if (current == L || current == V || current == LV || current == LVT) {
                    return false;                                             // GB6
                }
            }
            case LV, V -> {
                if (current == V || current == T) {
                    return false;                                             // GB7
                }
            }
            case LVT, T -> {
                if (current == T) {
                    return false;                                             // GB8
                }
            }
            default -> { }
        }
        if (current == EXTEND || current == ZWJ || current == SPACING_MARK) {
            return false;                                                     // GB9, GB9a
        }
        if (previous == PREPEND) {
            return false;                                                     // GB9b
        }
        if (pictographicZwj && current == EXTENDED_PICTOGRAPHIC) {
            return false;                                                     // GB11
        }
        return !(current == REGIONAL_INDICATOR && (regionalIndicators & 1) == 1); // GB12, GB13
    }

    private static int kind(int cp) {
        return cp <= Character.MAX_VALUE ? BMP_KINDS[cp] : computeKind(cp);
    }

    private static int computeKind(int cp) {
        if (cp < 0x7F) {
            return cp >= 0x20 ? OTHER : cp == '\r' ? CR : cp == '\n' ? LF : CONTROL;
        }
        switch (cp) {
            case 0x200D:
                return ZWJ;
            case 0x200C, 0xFF9E, 0xFF9F:
                return EXTEND;
            case 0x0E33, 0x0EB3:
                return SPACING_MARK;
            case 0x00A9, 0x00AE:
                return EXTENDED_PICTOGRAPHIC;
            default:
                break;
        }
        if (cp >= 0x1100) {
            int hangul = hangul(cp);
            if (hangul != OTHER) {
                return hangul;
            }
            if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
                return REGIONAL_INDICATOR;
            }
            if ((cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F)) {
                return EXTEND; // emoji modifiers and tag characters
            }
            if (cp >= 0x203C && in(PICTOGRAPHIC, cp)) {
                return EXTENDED_PICTOGRAPHIC;
            }
        }
        if (in(PREPENDED, cp)) {
            return PREPEND;
        }
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK -> EXTEND;
            case Character.COMBINING_SPACING_MARK -> SPACING_MARK;
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> CONTROL;
            default -> OTHER;
        };
    }

    private static int hangul(int cp) {
        if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0xA960 && cp <= 0xA97C)) {
            return L;
        }
        if ((cp >= 0x1160 && cp <= 0x11A7) || (cp >= 0xD7B0 && cp <= 0xD7C6)) {
            return V;
        }
        if ((cp >= 0x11A8 && cp <= 0x11FF) || (cp >= 0xD7CB && cp <= 0xD7FB)) {
            return T;
        }
        if (cp >= 0xAC00 && cp <= 0xD7A3) {
            return (cp - 0xAC00) % 28 == 0 ? LV : LVT;
        }
        return OTHER;
    }

    private static boolean in(int[] ranges, int cp) {
        int low = 0;
        int high = ranges.length / 2 - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (cp < ranges[2 * mid]) {
                high = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
