package dev.dripline.contacts;

import dev.dripline.errors.FieldError;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Custom attributes and their types: string, number, boolean and date. A date is a string of
 * the shape {@code YYYY-MM-DD} (ISO-8601 calendar date): recognised by its shape, with no schema
 * to declare, and stored as that string, which sorts in date order, so that {@code before} and
 * {@code after} filters are plain string comparisons in DynamoDB. A string of that shape that is
 * not a real day (2026-02-30) is refused rather than kept as text.
 */
public final class Attributes {

    public static final int MAX_ATTRIBUTES = 100;
    public static final int MAX_STRING = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** Numbers in CSV: no leading zeros (a ZIP code 02134 stays text), no exponent. */
    private static final Pattern CSV_NUMBER = Pattern.compile("-?(0|[1-9]\\d{0,17})(\\.\\d{1,12})?");

    private Attributes() {
    }

    /** The type name the API documents: string, number, boolean or date. */
    public static String typeOf(Object value) {
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof String s && isDate(s)) {
            return "date";
        }
        return "string";
    }

    public static boolean isDate(String s) {
        if (!DATE_SHAPE.matcher(s).matches()) {
            return false;
        }
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Checks names and values; {@code null} values are allowed where they mean "remove". */
    static void validate(Map<String, Object> attributes, List<FieldError> errors) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            errors.add(new FieldError("attributes", "at most " + MAX_ATTRIBUTES + " attributes"));
        }
        attributes.forEach((name, value) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                errors.add(new FieldError("attributes", "names must be 1 to 64 letters, digits, '_', '.' or '-' ('" + name + "' is not)"));
                return;
            }
            String field = "attributes." + name;
            if (value == null || value instanceof Boolean) {
                return;
            }
            if (value instanceof Number n) {
                if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
                    errors.add(new FieldError(field, "must be a finite number"));
                }
                return;
            }
            if (value instanceof String s) {
                if (s.length() > MAX_STRING) {
                    errors.add(new FieldError(field, "has " + s.length() + " characters; at most " + MAX_STRING));
                } else if (DATE_SHAPE.matcher(s).matches() && !isDate(s)) {
                    errors.add(new FieldError(field, "'" + s + "' has the shape of a date (YYYY-MM-DD) but is not a real day"));
                }
                return;
            }
            errors.add(new FieldError(field, "must be a string, number, boolean or date (YYYY-MM-DD); objects and lists are not attributes"));
        });
    }

    /** A CSV cell as a typed value: true/false, a number, else the text (dates stay text of date shape). */
    public static Object fromText(String cell) {
        String t = cell.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return Boolean.valueOf(lower);
        }
        if (CSV_NUMBER.matcher(t).matches()) {
            return new BigDecimal(t);
        }
        return t;
    }
}
