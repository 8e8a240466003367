package dev.dripline.imports;

import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a file's header into Dripline's columns. Names match without regard to case, spaces,
 * underscores or punctuation ({@code First Name}, {@code first_name} and {@code FIRSTNAME} are
 * all {@code firstName}), and the column names of Shopify, Klaviyo and Mailchimp exports are
 * known aliases. The result is one target per column: a column name, {@code attr.<name>}, or
 * {@value #IGNORED} for a column to skip.
 */
final class Columns {

    /** A column whose cells are skipped. */
    static final String IGNORED = "";
    /** A second phone column (Shopify's Default Address Phone): used when the row's phone is empty. */
    static final String PHONE_FALLBACK = "phone.fallback";

    static final List<String> TARGETS = List.of("phone", "country", "firstName", "lastName", "email", "timeZone", "tags",
            "consent.status", "consent.source", "consent.proof", "consent.capturedAt");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    private static final Map<String, String> ALIASES = aliases();

    private static Map<String, String> aliases() {
        Map<String, String> a = new LinkedHashMap<>();
        for (String t : TARGETS) {
            a.put(key(t), t);
        }
        // Shopify customers export.
        alias(a, "phone", "Phone", "Phone Number", "Mobile", "Mobile Phone", "Mobile Number", "Cell", "Cell Phone", "SMS Phone",
                "SMS Phone Number", "Phone Number (SMS)");
        alias(a, PHONE_FALLBACK, "Default Address Phone", "Address Phone");
        alias(a, "firstName", "First Name", "First", "Given Name", "FNAME");
        alias(a, "lastName", "Last Name", "Last", "Surname", "Family Name", "LNAME");
        alias(a, "email", "Email", "E-mail", "Email Address", "E-mail Address");
        alias(a, "tags", "Tags", "Tag");
        alias(a, "consent.status", "Accepts SMS Marketing", "SMS Marketing", "SMS Consent", "SMS Subscription Status",
                "SMS Marketing Consent", "Consent");
        alias(a, "consent.capturedAt", "SMS Consent Timestamp", "SMS Marketing Consent Updated At", "Consent Captured At");
        alias(a, "country", "Country Code", "Default Address Country Code", "CC");
        alias(a, "timeZone", "Time Zone", "Timezone", "TZ");
        alias(a, "attr.state", "Default Address Province Code", "Province Code", "State", "State / Region", "Region");
        alias(a, "attr.zip", "Default Address Zip", "Zip", "Zip Code", "Postal Code", "Postcode");
        return Map.copyOf(a);
    }

    private static void alias(Map<String, String> into, String target, String... names) {
        for (String n : names) {
            into.put(key(n), target);
        }
    }

    /** The form names are compared in: lower case, letters, digits and dots only. */
    static String key(String name) {
        StringBuilder k = new StringBuilder();
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '.') {
                k.append(c);
            }
        }
        return k.toString();
    }

    private Columns() {
    }

    /**
     * Each header cell's target. Refuses, with one error each: the unknown columns (listed once,
     * unless {@code options} keeps or ignores them), a target two columns claim, a mapping that
     * names no column or a target that is not one, and a header with no phone column.
     */
    static List<String> resolve(List<String> header, ImportOptions options) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> mapping = new LinkedHashMap<>();
        options.mapping().forEach((column, target) -> mapping.put(key(column), target));
        List<String> targets = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Map<String, Integer> claimed = new LinkedHashMap<>();
        Set<String> mapped = new java.util.HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i).trim();
            String k = key(column);
            String target;
            if (mapping.containsKey(k)) {
                mapped.add(k);
                target = explicitTarget(mapping.get(k), column, errors);
            } else if (column.regionMatches(true, 0, "attr.", 0, 5)) {
                target = attribute(column.substring(5), column, errors);
            } else if (ALIASES.containsKey(k)) {
                target = ALIASES.get(k);
            } else {
                target = switch (options.unknownColumns()) {
                    case IGNORE -> IGNORED;
                    case ATTRIBUTES -> attribute(camel(column), column, errors);
                    case ERROR -> {
                        unknown.add("'" + column + "'");
                        yield IGNORED;
                    }
                };
            }
            if (target != null && !target.equals(IGNORED)) {
                Integer first = claimed.putIfAbsent(target, i);
                if (first != null) {
                    errors.add(new FieldError("header[" + i + "]", "'" + column + "' and '" + header.get(first).trim() + "' (header[" + first
                            + "]) are both " + target + ": map one of them elsewhere or to ignore, e.g. mapping=" + column + "=ignore"));
                }
            }
            targets.add(target == null ? IGNORED : target);
        }
        if (!unknown.isEmpty()) {
            errors.add(new FieldError("columns", "unknown column" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + ": map each (mapping=Column=target, targets: " + String.join(", ", TARGETS)
                    + ", attr.<name>, ignore), or pass unknownColumns=attributes or unknownColumns=ignore"));
        }
        for (Map.Entry<String, String> m : options.mapping().entrySet()) {
            if (!mapped.contains(key(m.getKey()))) {
                errors.add(new FieldError("mapping", "'" + m.getKey() + "' is not a column of this file"));
            }
        }
        if (!claimed.containsKey("phone") && !claimed.containsKey(PHONE_FALLBACK)) {
            errors.add(new FieldError("header", "has no phone column (Phone, Phone Number, Mobile, ... or mapping=<your column>=phone)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return targets;
    }

    private static String explicitTarget(String target, String column, List<FieldError> errors) {
        if (target.equalsIgnoreCase("ignore")) {
            return IGNORED;
        }
        if (target.regionMatches(true, 0, "attr.", 0, 5)) {
            return attribute(target.substring(5), column, errors);
        }
        for (String t : TARGETS) {
            if (key(t).equals(key(target))) {
                return t;
            }
        }
        errors.add(new FieldError("mapping", "'" + column + "' is mapped to '" + target + "', which is not one of " + String.join(", ", TARGETS)
                + ", attr.<name>, ignore"));
        return null;
    }

    private static String attribute(String name, String column, List<FieldError> errors) {
        if (!ATTRIBUTE.matcher(name).matches()) {
            errors.add(new FieldError("columns", "'" + column + "' cannot be an attribute: names are 1 to 64 letters, digits, '_', '.' or '-'"));
            return null;
        }
        return "attr." + name;
    }

    /** An attribute name from a column's words: {@code Total Spent} is totalSpent, {@code MEMBER_RATING} memberRating. */
    static String camel(String column) {
        StringBuilder out = new StringBuilder();
        for (String word : column.split("[^A-Za-z0-9]+")) {
            if (word.isEmpty()) {
                continue;
            }
            String lower = word.equals(word.toUpperCase(Locale.ROOT)) ? word.toLowerCase(Locale.ROOT) : word;
            out.append(out.length() == 0 ? Character.toLowerCase(lower.charAt(0)) : Character.toUpperCase(lower.charAt(0)))
                    .append(lower.substring(1));
        }
        return out.length() == 0 ? "column" : out.length() > 64 ? out.substring(0, 64) : out.toString();
    }

    /** Consent values as exports write them; null for a blank cell or a value that means nothing. */
    static String consentStatus(String value) {
        return switch (key(value)) {
            case "yes", "y", "true", "1", "subscribed", "optedin", "optin", "confirmed", "accepted" -> "opted_in";
            case "no", "n", "false", "0", "unsubscribed", "optedout", "optout", "stop", "declined" -> "opted_out";
            case "pending" -> "pending";
            default -> null;
        };
    }
}
