package dev.dripline.messaging.encoding;

/** How an SMS body travels: 7-bit GSM default alphabet, or UCS-2 (UTF-16 code units). */
public enum SmsEncoding {
    GSM_7("GSM-7", 160, 153),
    UCS_2("UCS-2", 70, 67);

    private final String label;
    private final int singleLimit;
    private final int partLimit;

    SmsEncoding(String label, int singleLimit, int partLimit) {
        this.label = label;
        this.singleLimit = singleLimit;
        this.partLimit = partLimit;
    }

    /** The name used on the wire and in the UI: "GSM-7" or "UCS-2". */
    public String label() {
        return label;
    }

    /** Units (septets or UTF-16 code units) one message holds when it travels alone. */
    public int singleLimit() {
        return singleLimit;
    }

    /** Units one part of a concatenated message holds (the rest is the 6-byte UDH). */
    public int partLimit() {
        return partLimit;
    }
}
