package dev.dripline.messaging.encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encoding detection, segment counting and splitting of SMS bodies (3GPP TS 23.038, 23.040).
 *
 * <p>Rules, in the order a reader needs them:
 * <ul>
 *   <li>A body is GSM-7 when every char is in the basic or extension table, else UCS-2 as a whole.</li>
 *   <li>GSM-7: 160 septets alone, 153 per part; an extension character costs 2 and its escape
 *       pair never straddles parts. UCS-2: 70 UTF-16 code units alone, 67 per part.</li>
 *   <li>A part never splits a surrogate pair nor a grapheme cluster (emoji with skin tone, ZWJ
 *       sequence, flag, letter with combining marks, CR LF) unless the cluster alone is longer
 *       than a part; then it is cut between code points, never inside a surrogate pair.</li>
 *   <li>So a part may hold fewer units than the limit, and the segment count is the number of
 *       parts {@link #split} produces, which can exceed ceil(units / 153 or 67). A provider that
 *       concatenates by itself keeps escape and surrogate pairs whole too, but may cut a cluster
 *       and so bill one segment less than this count when a cluster straddles a part end.</li>
 *   <li>An empty body is 0 segments of 0 units (GSM-7, 160 per segment): nothing to send.
 *       Providers refuse an empty body; rejecting it is the caller's decision.</li>
 * </ul>
 */
public final class Segments {

    private static final SegmentCount EMPTY = new SegmentCount(SmsEncoding.GSM_7, 0, 0, 160);
    // Every single-part count, made once: counting a short body then allocates nothing at all.
    private static final SegmentCount[] SINGLE_GSM = singles(SmsEncoding.GSM_7);
    private static final SegmentCount[] SINGLE_UCS2 = singles(SmsEncoding.UCS_2);

    private Segments() {
    }

    private static SegmentCount[] singles(SmsEncoding encoding) {
        SegmentCount[] counts = new SegmentCount[encoding.singleLimit() + 1];
        counts[0] = encoding == SmsEncoding.GSM_7 ? EMPTY : null;
        for (int units = 1; units < counts.length; units++) {
            counts[units] = new SegmentCount(encoding, 1, units, encoding.singleLimit());
        }
        return counts;
    }

    /**
     * Encoding and segments of a body: one branch-free pass over its chars with a table lookup
     * each. Allocates nothing for a single-part body (the counts are shared immutable values),
     * and only the result for a longer one.
     */
    public static SegmentCount count(CharSequence text) {
        return text instanceof String string ? count(string) : countChars(text);
    }

    // The same loop twice so the JIT sees String.charAt, not an interface call, on the hot path.
    // Eight chars per step into eight independent sums: one running sum makes every char wait
    // for the previous add (about a cycle per char); eight let the loads and adds overlap. The
    // sums are of the same packed counters, so each field still totals at most SUM_CHUNK chars.
    private static SegmentCount count(String text) {
        int length = text.length();
        int septets = 0;
        int flags = 0;
        for (int start = 0; start < length; start += GsmAlphabet.SUM_CHUNK) {
            int end = Math.min(length, start + GsmAlphabet.SUM_CHUNK);
            int s0 = 0;
            int s1 = 0;
            int s2 = 0;
            int s3 = 0;
            int s4 = 0;
            int s5 = 0;
            int s6 = 0;
            int s7 = 0;
            int i = start;
            for (; i + 7 < end; i += 8) {
                s0 += GsmAlphabet.classOf(text.charAt(i));
                s1 += GsmAlphabet.classOf(text.charAt(i + 1));
                s2 += GsmAlphabet.classOf(text.charAt(i + 2));
                s3 += GsmAlphabet.classOf(text.charAt(i + 3));
                s4 += GsmAlphabet.classOf(text.charAt(i + 4));
                s5 += GsmAlphabet.classOf(text.charAt(i + 5));
                s6 += GsmAlphabet.classOf(text.charAt(i + 6));
                s7 += GsmAlphabet.classOf(text.charAt(i + 7));
            }
            for (; i < end; i++) {
                s0 += GsmAlphabet.classOf(text.charAt(i));
            }
            int sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
            septets += sum & GsmAlphabet.SEPTETS;
            flags |= sum & ~GsmAlphabet.SEPTETS;
        }
        return gsmOrUcs2(text, septets, flags);
    }

    private static SegmentCount countChars(CharSequence text) {
        int length = text.length();
        int septets = 0;
        int flags = 0;
        for (int start = 0; start < length; start += GsmAlphabet.SUM_CHUNK) {
            int end = Math.min(length, start + GsmAlphabet.SUM_CHUNK);
            int s0 = 0;
            int s1 = 0;
            int s2 = 0;
            int s3 = 0;
            int s4 = 0;
            int s5 = 0;
            int s6 = 0;
            int s7 = 0;
            int i = start;
            for (; i + 7 < end; i += 8) {
                s0 += GsmAlphabet.classOf(text.charAt(i));
                s1 += GsmAlphabet.classOf(text.charAt(i + 1));
                s2 += GsmAlphabet.classOf(text.charAt(i + 2));
                s3 += GsmAlphabet.classOf(text.charAt(i + 3));
                s4 += GsmAlphabet.classOf(text.charAt(i + 4));
                s5 += GsmAlphabet.classOf(text.charAt(i + 5));
                s6 += GsmAlphabet.classOf(text.charAt(i + 6));
                s7 += GsmAlphabet.classOf(text.charAt(i + 7));
            }
            for (; i < end; i++) {
                s0 += GsmAlphabet.classOf(text.charAt(i));
            }
            int sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
            septets += sum & GsmAlphabet.SEPTETS;
            flags |= sum & ~GsmAlphabet.SEPTETS;
        }
        return gsmOrUcs2(text, septets, flags);
    }

    private static SegmentCount gsmOrUcs2(CharSequence text, int septets, int flags) {
        if ((flags & GsmAlphabet.NOT_GSM_COUNT) != 0) {
            return countUcs2(text);
        }
        if (septets <= SmsEncoding.GSM_7.singleLimit()) {
            return SINGLE_GSM[septets];
        }
        int perPart = SmsEncoding.GSM_7.partLimit();
        int parts = 0;
        if ((flags & GsmAlphabet.INDIVISIBLE_COUNT) == 0) {
            parts = (septets + perPart - 1) / perPart; // every unit is one septet: parts are full
        } else {
            for (int start = 0; start < text.length(); start = gsmPartEnd(text, start)) {
                parts++;
            }
        }
        return new SegmentCount(SmsEncoding.GSM_7, parts, septets, perPart);
    }

    private static SegmentCount countUcs2(CharSequence text) {
        int length = text.length();
        if (length <= SmsEncoding.UCS_2.singleLimit()) {
            return SINGLE_UCS2[length];
        }
        int parts = 0;
        for (int start = 0; start < length; start = ucs2PartEnd(text, start)) {
            parts++;
        }
        return new SegmentCount(SmsEncoding.UCS_2, parts, length, SmsEncoding.UCS_2.partLimit());
    }

    /**
     * The parts a provider that needs manual concatenation would send, in order; they join back
     * to {@code text} exactly. One part when the body fits a single message, none when empty.
     */
    public static List<String> split(String text) {
        SegmentCount count = count(text);
        if (count.segments() <= 1) {
            return count.segments() == 0 ? List.of() : List.of(text);
        }
        List<String> parts = new ArrayList<>(count.segments());
        boolean gsm = count.encoding() == SmsEncoding.GSM_7;
        int start = 0;
        while (start < text.length()) {
            int end = gsm ? gsmPartEnd(text, start) : ucs2PartEnd(text, start);
            parts.add(text.substring(start, end));
            start = end;
        }
        return List.copyOf(parts);
    }

    /**
     * The body to send and its count: the smart-encoded rewrite when {@code smartEncoding} is on
     * and the rewrite takes fewer segments, else the body as written.
     */
    public static OutgoingText prepare(String text, boolean smartEncoding) {
        SegmentCount original = count(text);
        if (smartEncoding && original.encoding() == SmsEncoding.UCS_2) {
            Optional<SmartEncoding.GsmRewrite> rewrite = smartRewrite(text, original);
            if (rewrite.isPresent()) {
                String rewritten = rewrite.get().text();
                return new OutgoingText(rewritten, count(rewritten), true);
            }
        }
        return new OutgoingText(text, original, false);
    }

    /**
     * Everything the preview shows: the count, the smart-encoded body when smart encoding is on
     * and lowers the count, what it replaced, and the characters that force UCS-2.
     */
    public static BodyAnalysis analyze(String text, boolean smartEncoding) {
        SegmentCount original = count(text);
        if (original.encoding() == SmsEncoding.GSM_7) {
            return new BodyAnalysis(original, Optional.empty(), List.of(), List.of());
        }
        List<Ucs2Character> ucs2Characters = ucs2Characters(text);
        if (smartEncoding) {
            Optional<SmartEncoding.GsmRewrite> rewrite = smartRewrite(text, original);
            if (rewrite.isPresent()) {
                String rewritten = rewrite.get().text();
                return new BodyAnalysis(count(rewritten), Optional.of(rewritten),
                        rewrite.get().replacements(), ucs2Characters);
            }
        }
        return new BodyAnalysis(original, Optional.empty(), List.of(), ucs2Characters);
    }

    /** The characters outside GSM-7, with where they are and their Unicode names. */
    public static List<Ucs2Character> ucs2Characters(String text) {
        List<Ucs2Character> found = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int width = Character.charCount(codePoint);
            if (width == 2 || !GsmAlphabet.contains((char) codePoint)) {
                found.add(new Ucs2Character(i, text.substring(i, i + width),
                        Ucs2Character.codePointLabel(codePoint), Ucs2Character.nameOf(codePoint)));
            }
            i += width;
        }
        return found;
    }

    // Smart encoding is worth it only when it saves a segment; it never turns a body into nothing.
    private static Optional<SmartEncoding.GsmRewrite> smartRewrite(String text, SegmentCount original) {
        return SmartEncoding.toGsm(text).filter(rewrite -> !rewrite.text().isEmpty()
                && count(rewrite.text()).segments() < original.segments());
    }

    /** End of the GSM-7 part starting at {@code start}: up to 153 septets, escape pairs and CR LF whole. */
    static int gsmPartEnd(CharSequence text, int start) {
        int length = text.length();
        int limit = SmsEncoding.GSM_7.partLimit();
        int used = 0;
        int i = start;
        while (i < length) {
            char c = text.charAt(i);
            int cost = GsmAlphabet.septets(c);
            int width = 1;
            if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
                cost = 2;
                width = 2;
            }
            if (used + cost > limit) {
                break;
            }
            used += cost;
            i += width;
        }
        return i;
    }

    /**
     * End of the UCS-2 part starting at {@code start}: up to 67 code units of whole grapheme
     * clusters; a cluster longer than a part starts its own part and is cut between code points.
     * The end is the last cluster boundary within 67 units, looked for backwards from there (one
     * or two steps in practice) rather than by walking every cluster of the part.
     */
    static int ucs2PartEnd(CharSequence text, int start) {
        int limit = start + SmsEncoding.UCS_2.partLimit();
        if (limit >= text.length()) {
            return text.length();
        }
        for (int end = limit; end > start; end--) {
            switch (Graphemes.at(text, end)) {
                case YES:
                    return end;
                case NEEDS_CONTEXT:
                    return ucs2PartEndByClusters(text, start);
                default:
                    break;
            }
        }
        return ucs2PartEndByClusters(text, start); // one cluster longer than a part
    }

    static int ucs2PartEndByClusters(CharSequence text, int start) {
        int length = text.length();
        int limit = SmsEncoding.UCS_2.partLimit();
        int i = start;
        while (i < length) {
            int clusterEnd = Graphemes.end(text, i);
            int used = i - start;
            if (used + clusterEnd - i <= limit) {
                i = clusterEnd;
            } else if (used > 0) {
                break;
            } else {
                return oversizedClusterCut(text, i, start + limit);
            }
        }
        return i;
    }

    private static int oversizedClusterCut(CharSequence text, int start, int maxEnd) {
        int i = start;
        while (i < maxEnd) {
            int width = Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
            if (i + width > maxEnd) {
                break;
            }
            i += width;
        }
        return i;
    }
}
