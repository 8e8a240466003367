package dev.dripline.messaging.encoding;

/**
 * The GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 §6.2.1), as a cost
 * in septets per UTF-16 char: 1 for the basic table, 2 for the extension table (escape + char),
 * 0 for anything GSM-7 cannot carry.
 */
public final class GsmAlphabet {

    /** The basic table in septet order; 0x1B is the escape to the extension table, not a character. */
    static final String BASIC_TABLE =
            "@£$¥èéùìòÇ\nØø\rÅå"
            + "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ"
            + " !\"#¤%&'()*+,-./"
            + "0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNO"
            + "PQRSTUVWXYZÄÖÑÜ§"
            + "¿abcdefghijklmno"
            + "pqrstuvwxyzäöñüà";

    /** The characters reachable through the escape: form feed ^ { } \ [ ~ ] | €. */
    static final String EXTENSION_TABLE = "\f^{}\\[~]|€";

    static final int ESCAPE_SEPTET = 0x1B;

    // One byte per UTF-16 char keeps the count loop branch-light and allocation-free; 64 KiB once per JVM.
    private static final byte[] SEPTETS = new byte[Character.MAX_VALUE + 1];

    static {
        for (int i = 0; i < BASIC_TABLE.length(); i++) {
            if (i != ESCAPE_SEPTET) {
                SEPTETS[BASIC_TABLE.charAt(i)] = 1;
            }
        }
        for (int i = 0; i < EXTENSION_TABLE.length(); i++) {
            SEPTETS[EXTENSION_TABLE.charAt(i)] = 2;
        }
    }

    private GsmAlphabet() {
    }

    /** Septets this char costs in GSM-7: 1 (basic table), 2 (extension table) or 0 (not in GSM-7). */
    public static int septets(char c) {
        return SEPTETS[c];
    }

    /** Whether GSM-7 can carry this char, in either table. */
    public static boolean contains(char c) {
        return SEPTETS[c] != 0;
    }

    /** Whether this char needs the escape septet (extension table). */
    public static boolean isExtension(char c) {
        return SEPTETS[c] == 2;
    }
}
