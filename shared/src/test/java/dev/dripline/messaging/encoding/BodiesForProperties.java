package dev.dripline.messaging.encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Generators of SMS bodies and an independent oracle for grapheme clusters (the JDK's {@code \X}). */
final class BodiesForProperties {

    private static final Pattern CLUSTER = Pattern.compile("\\X");

    private BodiesForProperties() {
    }

    static Arbitrary<String> gsmBodies() {
        Arbitrary<String> token = Arbitraries.frequencyOf(
                Tuple.of(20, basicGsm()),
                Tuple.of(4, extensionGsm()),
                Tuple.of(1, Arbitraries.just("\r\n")));
        return join(token, 520);
    }

    static Arbitrary<String> mixedBodies() {
        Arbitrary<String> token = Arbitraries.frequencyOf(
                Tuple.of(12, basicGsm()),
                Tuple.of(2, extensionGsm()),
                Tuple.of(1, Arbitraries.just("\r\n")),
                Tuple.of(3, codePoints(0x4E00, 0x9FFC)),      // CJK (assigned in Unicode 13, JDK 17)
                Tuple.of(2, codePoints(0x0100, 0x017F)),      // Latin Extended-A (ş, ğ, ı...)
                Tuple.of(1, codePoints(0x0410, 0x044F)),      // Cyrillic letters
                Tuple.of(1, codePoints(0xAC00, 0xD7A3)),      // Hangul syllables
                Tuple.of(1, codePoints(0x1100, 0x11FF)),      // Hangul jamo (L, V, T)
                Tuple.of(2, codePoints(0x0300, 0x036F)),      // combining marks
                Tuple.of(4, codePoints(0x1F600, 0x1F64F)),    // emoji
                Tuple.of(2, codePoints(0x1F3FB, 0x1F3FF)),    // skin tones
                Tuple.of(2, Arbitraries.of("\uFE0F", "\u20E3", "\u2764", "\u2600", "\u00A9")),
                // JDK 17's \X counts ZWJ inside GB11's Extend* (it joins 😀 ZWJ ZWJ 😀, which UAX #29
                // breaks); a ZWJ always followed by a pictograph keeps the JDK usable as the oracle.
                // GraphemesTest pins our reading of GB11 for the other cases.
                Tuple.of(2, Arbitraries.of("\u2764", "\u2600", "\uD83D\uDE00", "\uD83D\uDC69")
                        .map(pictograph -> "\u200D" + pictograph)),
                Tuple.of(2, codePoints(0x1F1E6, 0x1F1FF)),    // regional indicators
                Tuple.of(1, Arbitraries.of(
                        "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66", // family of four
                        "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08",                               // rainbow flag
                        "\uD83D\uDC69\uD83C\uDFFD\u200D\uD83D\uDCBB",                         // woman technologist
                        "1\uFE0F\u20E3",                                                      // keycap
                        "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F", // England
                        "\u2018", "\u2019", "\u201C", "\u201D", "\u2026", "\u2013", "\u00A0", "\u200B")));
        return join(token, 260);
    }

    /** Any UTF-16 sequence, lone surrogates included. */
    static Arbitrary<String> anyUtf16() {
        Arbitrary<Character> c = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.chars().all()),
                Tuple.of(3, Arbitraries.chars().range(' ', '~')),
                Tuple.of(2, Arbitraries.chars().range('\uD800', '\uDFFF')));
        return c.list().ofMaxSize(400).map(chars -> {
            StringBuilder text = new StringBuilder(chars.size());
            chars.forEach(text::append);
            return text.toString();
        });
    }

    /** Cluster ends of {@code text} as the JDK's regex engine sees them. */
    static List<Integer> clusterEnds(String text) {
        List<Integer> ends = new ArrayList<>();
        Matcher matcher = CLUSTER.matcher(text);
        while (matcher.find()) {
            ends.add(matcher.end());
        }
        return ends;
    }

    static int septets(String part) {
        int septets = 0;
        for (int i = 0; i < part.length(); i++) {
            septets += GsmAlphabet.septets(part.charAt(i));
        }
        return septets;
    }

    private static Arbitrary<String> basicGsm() {
        return Arbitraries.of(GsmAlphabet.BASIC_TABLE.replace("\u001B", "").toCharArray()).map(String::valueOf);
    }

    private static Arbitrary<String> extensionGsm() {
        return Arbitraries.of(GsmAlphabet.EXTENSION_TABLE.toCharArray()).map(String::valueOf);
    }

    private static Arbitrary<String> codePoints(int first, int last) {
        return Arbitraries.integers().between(first, last).map(Character::toString);
    }

    private static Arbitrary<String> join(Arbitrary<String> token, int maxTokens) {
        return token.list().ofMaxSize(maxTokens).map(tokens -> String.join("", tokens));
    }
}
