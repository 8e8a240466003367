package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.drip.CampaignDefinition.Branch;
import dev.dripline.errors.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The branches on a contact attribute that compare more than equality: {@code between} (a
 * range of numbers, both ends included) and {@code in} (one of a list), read beside
 * {@code equals} and tested against the contact as it stands (after a saved answer, with it).
 */
final class AttributeBranches {

    private AttributeBranches() {
    }

    /**
     * The branch {@code b} describes on {@code attribute}: {@code equals}, {@code between} or
     * {@code in} (at most one; none: the attribute is present), naming every problem.
     */
    static Branch parse(JsonNode b, String at, String attribute, String target, List<FieldError> errors) {
        int given = (b.has("equals") ? 1 : 0) + (b.has("between") ? 1 : 0) + (b.has("in") ? 1 : 0);
        if (given > 1) {
            errors.add(new FieldError(at, "give one of equals, between, in"));
        }
        if (b.has("between")) {
            JsonNode r = b.get("between");
            if (!r.isArray() || r.size() != 2 || !r.get(0).isNumber() || !r.get(1).isNumber()) {
                errors.add(new FieldError(at + ".between", "must be two numbers [low, high], both included, such as [0, 6]"));
                return new Branch.Between(attribute, BigDecimal.ONE, BigDecimal.ZERO, target);
            }
            BigDecimal low = r.get(0).decimalValue();
            BigDecimal high = r.get(1).decimalValue();
            if (low.compareTo(high) > 0) {
                errors.add(new FieldError(at + ".between", "low is larger than high (" + low.toPlainString() + " > " + high.toPlainString() + ")"));
            }
            return new Branch.Between(attribute, low, high, target);
        }
        if (b.has("in")) {
            JsonNode vs = b.get("in");
            List<Object> values = new ArrayList<>();
            if (!vs.isArray() || vs.isEmpty() || vs.size() > 100) {
                errors.add(new FieldError(at + ".in", "must be a list of 1-100 values (texts, numbers or true/false)"));
            } else {
                for (int i = 0; i < vs.size(); i++) {
                    if (!vs.get(i).isValueNode() || vs.get(i).isNull()) {
                        errors.add(new FieldError(at + ".in[" + i + "]", "must be a text, a number or true/false"));
                    } else {
                        values.add(Jsons.plain(vs.get(i)));
                    }
                }
            }
            return new Branch.In(attribute, List.copyOf(values), target);
        }
        return new Branch.Attribute(attribute, b.has("equals") ? Jsons.plain(b.get("equals")) : null, target);
    }

    /** A number attribute (or a text that is one) as a number; null when it is none. */
    static BigDecimal number(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number || value instanceof String) {
            try {
                return new BigDecimal(String.valueOf(value).strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Equal as attributes compare: numbers by value, texts in any case, true/false as themselves. */
    static boolean same(Object value, Object expected) {
        if (value == null || expected == null) {
            return value == expected;
        }
        if (value instanceof Number || expected instanceof Number) {
            BigDecimal a = number(value);
            BigDecimal b = number(expected);
            return a != null && b != null && a.compareTo(b) == 0;
        }
        return String.valueOf(value).equalsIgnoreCase(String.valueOf(expected));
    }
}
