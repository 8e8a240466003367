package dev.dripline.logging;

/** What logs may show of personal data: never a whole phone number or message body. */
public final class Masked {

    private Masked() {
    }

    /** {@code +14155550123} → {@code +1415*****23}: enough to tell numbers apart in an incident. */
    public static String phone(String e164) {
        if (e164 == null) {
            return "null";
        }
        if (e164.length() <= 6) {
            return "*".repeat(e164.length());
        }
        int keepHead = Math.min(5, e164.length() - 4);
        return e164.substring(0, keepHead) + "*".repeat(e164.length() - keepHead - 2) + e164.substring(e164.length() - 2);
    }

    /** A body is logged only by its length. */
    public static String body(String body) {
        return body == null ? "null" : "<" + body.length() + " chars>";
    }
}
