package dev.dripline.messaging.encoding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Look-alike Unicode that word processors and phones put into text (curly quotes, long dashes,
 * ellipsis, odd spaces, invisible joiners) and the GSM-7 text that reads the same.
 *
 * <p>Only punctuation, spaces and invisible characters are here: letters are never
 * transliterated (ç is not turned into c or Ç), because that changes what the recipient reads.
 * Every replacement is GSM-7, so a body whose every non-GSM character is in this table becomes
 * GSM-7. Whether the rewrite is used is decided by {@link Segments#analyze}: only when it lowers
 * the segment count.
 */
public final class SmartEncoding {

    private static final Map<Character, String> TABLE = table();

    private SmartEncoding() {
    }

    /** The GSM-7 rewrite of a body and the replacements made. */
    public record GsmRewrite(String text, List<Replacement> replacements) {
        public GsmRewrite {
            replacements = List.copyOf(replacements);
        }
    }

    /** Every look-alike this class replaces, with its replacement ("" means removed). */
    public static Map<Character, String> replacements() {
        return TABLE;
    }

    /**
     * The body rewritten into GSM-7, present only when every character outside GSM-7 has a
     * look-alike; empty when one (an emoji, a Chinese character, ç...) would keep it UCS-2.
     */
    public static Optional<GsmRewrite> toGsm(String text) {
        int length = text.length();
        StringBuilder rewritten = null;
        List<Replacement> replacements = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (GsmAlphabet.contains(c)) {
                if (rewritten != null) {
                    rewritten.append(c);
                }
                continue;
            }
            String replacement = TABLE.get(c);
            if (replacement == null) {
                return Optional.empty();
            }
            if (rewritten == null) {
                rewritten = new StringBuilder(length + 8).append(text, 0, i);
                replacements = new ArrayList<>();
            }
            rewritten.append(replacement);
            replacements.add(new Replacement(i, String.valueOf(c), Ucs2Character.codePointLabel(c), replacement));
        }
        return rewritten == null
                ? Optional.of(new GsmRewrite(text, List.of()))
                : Optional.of(new GsmRewrite(rewritten.toString(), replacements));
    }

    private static Map<Character, String> table() {
        Map<Character, String> table = new HashMap<>();
        put(table, "'", '\u2018', '\u2019', '\u201A', '\u201B', '\u2039', '\u203A', // single quotes
                '\u2032', '\u2035', '\u02B9', '\u02BB', '\u02BC', '\u02C8', '\u00B4', '`'); // primes, modifier apostrophes
        put(table, "\"", '\u201C', '\u201D', '\u201E', '\u201F', '\u00AB', '\u00BB', // double quotes, guillemets
                '\u2033', '\u2036', '\u02BA', '\u301D', '\u301E');
        put(table, "-", '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', // hyphens and dashes
                '\u2212', '\u2043', '\uFE58', '\uFE63', '\u2022', '\u2023');           // minus, bullets
        put(table, "...", '\u2026');
        put(table, "..", '\u2025');
        put(table, ".", '\u2024');
        // TAB is not in the GSM 03.38 alphabet: left alone it turns a one-segment GSM-7 message into UCS-2.
        put(table, " ", '\t', '\u00A0', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006',
                '\u2007', '\u2008', '\u2009', '\u200A', '\u202F', '\u205F', '\u3000');
        put(table, "", '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'); // invisible: removed
        put(table, "/", '\u2044', '\u2215');
        put(table, "^", '\u02C6');
        put(table, "~", '\u02DC');
        for (char full = '\uFF01'; full <= '\uFF5E'; full++) { // fullwidth forms of ASCII
            char ascii = (char) (full - 0xFF01 + '!');
            if (GsmAlphabet.contains(ascii)) {
                table.put(full, String.valueOf(ascii));
            } else {
                table.put(full, "'"); // only the fullwidth grave accent
            }
        }
        return Collections.unmodifiableMap(table);
    }

    private static void put(Map<Character, String> table, String replacement, char... lookAlikes) {
        for (char c : lookAlikes) {
            if (table.put(c, replacement) != null) {
                throw new IllegalStateException("duplicate look-alike " + Ucs2Character.codePointLabel(c));
            }
        }
    }
}
