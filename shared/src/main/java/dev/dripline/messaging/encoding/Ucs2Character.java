package dev.dripline.messaging.encoding;

/**
 * A character outside GSM-7, which makes the whole body travel as UCS-2.
 *
 * @param index     UTF-16 index in the body (of the high surrogate, for a supplementary character)
 * @param character the character itself (both surrogates for a supplementary character)
 * @param codePoint its code point as {@code U+XXXX} (five or six hex digits above the BMP)
 * @param name      its Unicode name, e.g. {@code RIGHT SINGLE QUOTATION MARK}
 */
public record Ucs2Character(int index, String character, String codePoint, String name) {

    static String codePointLabel(int codePoint) {
        String hex = Integer.toHexString(codePoint).toUpperCase(java.util.Locale.ROOT);
        return "U+" + "0000".substring(Math.min(4, hex.length())) + hex;
    }

    static String nameOf(int codePoint) {
        String name = Character.getName(codePoint);
        return name != null ? name : "UNASSIGNED " + codePointLabel(codePoint);
    }
}
