package dev.dripline.messaging.encoding;

/**
 * One look-alike character smart encoding replaced.
 *
 * @param index       UTF-16 index of the character in the original body
 * @param character   the original character
 * @param codePoint   its code point as {@code U+XXXX}
 * @param replacement the GSM-7 text put in its place; empty when an invisible character was removed
 */
public record Replacement(int index, String character, String codePoint, String replacement) {
}
