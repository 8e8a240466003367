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

    // CLASSES packs three counters into one int so the count loop is a bare sum, one table load
    // per char: septets in bits 0-11, indivisible units (escape pairs, CR) in bits 12-21, chars
    // outside GSM-7 in bits 22-31. Summing at most SUM_CHUNK chars cannot carry between fields.
    static final int SEPTETS = 0xFFF;
    static final int INDIVISIBLE = 1 << 12;
    static final int INDIVISIBLE_COUNT = 0x3FF << 12;
    static final int NOT_GSM = 1 << 22;
    static final int NOT_GSM_COUNT = 0x3FF << 22;
    static final int SUM_CHUNK = 1023;

    private static final int[] CLASSES = new int[Character.MAX_VALUE + 1]; // 256 KiB; the hot lines are few

    static {
        java.util.Arrays.fill(CLASSES, NOT_GSM);
        for (int i = 0; i < BASIC_TABLE.length(); i++) {
            if (i != ESCAPE_SEPTET) {
                CLASSES[BASIC_TABLE.charAt(i)] = 1;
            }
        }
        for (int i = 0; i < EXTENSION_TABLE.length(); i++) {
            CLASSES[EXTENSION_TABLE.charAt(i)] = 2 | INDIVISIBLE;
        }
        CLASSES['\r'] = 1 | INDIVISIBLE; // CR LF is one grapheme cluster: kept in one part
    }

    private GsmAlphabet() {
    }

    /** Septets this char costs in GSM-7: 1 (basic table), 2 (extension table) or 0 (not in GSM-7). */
    public static int septets(char c) {
        return CLASSES[c] & SEPTETS;
    }

    /** The packed counters of one char: {@link #SEPTETS}, {@link #INDIVISIBLE}, {@link #NOT_GSM}. */
    static int classOf(char c) {
        return CLASSES[c];
    }

    /** Whether GSM-7 can carry this char, in either table. */
    public static boolean contains(char c) {
        return CLASSES[c] != NOT_GSM;
    }

    /** Whether this char needs the escape septet (extension table). */
    public static boolean isExtension(char c) {
        return (CLASSES[c] & SEPTETS) == 2;
    }
}
