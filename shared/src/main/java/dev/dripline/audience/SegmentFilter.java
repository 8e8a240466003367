package dev.dripline.audience;

import dev.dripline.contacts.Attributes;
import dev.dripline.contacts.Contact;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A segment's filter over tags and attributes, as JSON:
 * <pre>
 * {"all": [ {"tag": "vip"},
 *           {"attribute": "tier", "equals": "gold"},
 *           {"attribute": "city", "in": ["Paris", "Lyon"]},
 *           {"attribute": "orders", "gte": 3, "lt": 10},
 *           {"attribute": "signupDate", "after": "2026-01-01"},
 *           {"attribute": "email_ok", "exists": true},
 *           {"any": [ ... ]} ]}
 * </pre>
 * Ranges (gt, gte, lt, lte) take numbers; before and after take dates (YYYY-MM-DD), strictly.
 * A value of another type than the stored one never matches (as in DynamoDB). The same filter is
 * evaluated in memory ({@link #matches}) and as a DynamoDB FilterExpression ({@link #expression}).
 */
public sealed interface SegmentFilter {

    boolean matches(Contact contact);

    /** The filter as a DynamoDB condition over a contact item, adding its names and values. */
    String expression(Map<String, String> names, Map<String, AttributeValue> values);

    record All(List<SegmentFilter> of) implements SegmentFilter {
        public boolean matches(Contact c) {
            return of.stream().allMatch(f -> f.matches(c));
        }

        public String expression(Map<String, String> names, Map<String, AttributeValue> values) {
            return "(" + String.join(" AND ", of.stream().map(f -> f.expression(names, values)).toList()) + ")";
        }
    }

    record Any(List<SegmentFilter> of) implements SegmentFilter {
        public boolean matches(Contact c) {
            return of.stream().anyMatch(f -> f.matches(c));
        }

        public String expression(Map<String, String> names, Map<String, AttributeValue> values) {
            return "(" + String.join(" OR ", of.stream().map(f -> f.expression(names, values)).toList()) + ")";
        }
    }

    record HasTag(String tag) implements SegmentFilter {
        public boolean matches(Contact c) {
            return c.tags().contains(tag);
        }

        public String expression(Map<String, String> names, Map<String, AttributeValue> values) {
            String v = ":v" + values.size();
            values.put(v, AttributeValue.fromS(tag));
            return "contains(tags, " + v + ")";
        }
    }

    /** One comparison of one attribute: equals, in, gt, gte, lt, lte, before, after, exists. */
    record Compare(String attribute, String op, List<Object> operands) implements SegmentFilter {
        public boolean matches(Contact c) {
            Object stored = c.attributes().get(attribute);
            if ("exists".equals(op)) {
                return (stored != null) == Boolean.TRUE.equals(operands.get(0));
            }
            if (stored == null) {
                return false;
            }
            return switch (op) {
                case "equals", "in" -> operands.stream().anyMatch(o -> same(stored, o));
                case "gt" -> compare(stored, operands.get(0)) > 0;
                case "gte" -> compare(stored, operands.get(0)) >= 0 && comparable(stored, operands.get(0));
                case "lt" -> compare(stored, operands.get(0)) < 0 && comparable(stored, operands.get(0));
                case "lte" -> compare(stored, operands.get(0)) <= 0 && comparable(stored, operands.get(0));
                case "after" -> stored instanceof String s && Attributes.isDate(s) && s.compareTo((String) operands.get(0)) > 0;
                case "before" -> stored instanceof String s && Attributes.isDate(s) && s.compareTo((String) operands.get(0)) < 0;
                default -> false;
            };
        }

        private static boolean same(Object stored, Object operand) {
            if (stored instanceof Number a && operand instanceof Number b) {
                return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
            }
            return stored.equals(operand);
        }

        private static boolean comparable(Object stored, Object operand) {
            return stored instanceof Number && operand instanceof Number;
        }

        /** Numbers only; anything else compares as "no match" (Integer.MIN_VALUE fails every test but gt). */
        private static int compare(Object stored, Object operand) {
            if (stored instanceof Number a && operand instanceof Number b) {
                return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
            }
            return Integer.MIN_VALUE;
        }

        public String expression(Map<String, String> names, Map<String, AttributeValue> values) {
            String n = "#a" + names.size();
            names.put(n, attribute);
            String path = "attributes." + n;
            if ("exists".equals(op)) {
                return (Boolean.TRUE.equals(operands.get(0)) ? "attribute_exists(" : "attribute_not_exists(") + path + ")";
            }
            List<String> refs = new ArrayList<>();
            for (Object o : operands) {
                String v = ":v" + values.size();
                values.put(v, value(o));
                refs.add(v);
            }
            return switch (op) {
                case "equals" -> path + " = " + refs.get(0);
                case "in" -> path + " IN (" + String.join(", ", refs) + ")";
                case "gt", "after" -> path + " > " + refs.get(0);
                case "gte" -> path + " >= " + refs.get(0);
                case "lt", "before" -> path + " < " + refs.get(0);
                case "lte" -> path + " <= " + refs.get(0);
                default -> throw new IllegalStateException(op);
            };
        }

        private static AttributeValue value(Object o) {
            if (o instanceof Boolean b) {
                return AttributeValue.fromBool(b);
            }
            if (o instanceof Number n) {
                return AttributeValue.fromN(new BigDecimal(n.toString()).toPlainString());
            }
            return AttributeValue.fromS(o.toString());
        }
    }

    /** A tag every match must have, if the filter requires one: then the segment is a Query of that tag. */
    default String requiredTag() {
        if (this instanceof HasTag t) {
            return t.tag();
        }
        if (this instanceof All all) {
            for (SegmentFilter f : all.of()) {
                String tag = f.requiredTag();
                if (tag != null) {
                    return tag;
                }
            }
        }
        return null;
    }

    int MAX_CONDITIONS = 50;

    /** Parses the JSON form; every bad part is named by its path (filter.all[2].gte). */
    static SegmentFilter parse(Object json) {
        List<FieldError> errors = new ArrayList<>();
        SegmentFilter f = parse(json, "filter", errors, 0);
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return f;
    }

    private static SegmentFilter parse(Object json, String path, List<FieldError> errors, int depth) {
        if (!(json instanceof Map<?, ?> m)) {
            errors.add(new FieldError(path, "must be an object: {all: [...]}, {any: [...]}, {tag} or {attribute, <op>}"));
            return null;
        }
        if (depth > 5) {
            errors.add(new FieldError(path, "nests too deep (at most 5 levels)"));
            return null;
        }
        if (m.containsKey("all") || m.containsKey("any")) {
            String kind = m.containsKey("all") ? "all" : "any";
            if (m.size() != 1) {
                errors.add(new FieldError(path, "an '" + kind + "' object has no other fields"));
            }
            if (!(m.get(kind) instanceof List<?> list) || list.isEmpty()) {
                errors.add(new FieldError(path + "." + kind, "must be a non-empty list of filters"));
                return null;
            }
            if (list.size() > MAX_CONDITIONS) {
                errors.add(new FieldError(path + "." + kind, "at most " + MAX_CONDITIONS + " filters"));
            }
            List<SegmentFilter> parts = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                parts.add(parse(list.get(i), path + "." + kind + "[" + i + "]", errors, depth + 1));
            }
            return kind.equals("all") ? new All(parts) : new Any(parts);
        }
        if (m.containsKey("tag")) {
            if (m.size() != 1) {
                errors.add(new FieldError(path, "a tag filter is just {\"tag\": \"...\"}"));
            }
            if (!(m.get("tag") instanceof String tag) || tag.isBlank() || tag.length() > 64) {
                errors.add(new FieldError(path + ".tag", "must be a tag of 1 to 64 characters"));
                return null;
            }
            return new HasTag(tag.trim());
        }
        if (!(m.get("attribute") instanceof String name) || name.isBlank()) {
            errors.add(new FieldError(path, "needs 'all', 'any', 'tag' or 'attribute'"));
            return null;
        }
        Map<String, Object> ops = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!"attribute".equals(k)) {
                ops.put(String.valueOf(k), v);
            }
        });
        if (ops.isEmpty()) {
            errors.add(new FieldError(path, "names no comparison: equals, in, gt, gte, lt, lte, before, after or exists"));
            return null;
        }
        List<SegmentFilter> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : ops.entrySet()) {
            String op = e.getKey();
            Object v = e.getValue();
            String where = path + "." + op;
            switch (op) {
                case "equals" -> {
                    if (scalar(v)) {
                        parts.add(new Compare(name, op, List.of(v)));
                    } else {
                        errors.add(new FieldError(where, "must be a string, number, boolean or date"));
                    }
                }
                case "in" -> {
                    if (v instanceof List<?> l && !l.isEmpty() && l.size() <= 100 && l.stream().allMatch(SegmentFilter::scalar)) {
                        parts.add(new Compare(name, op, new ArrayList<>(l)));
                    } else {
                        errors.add(new FieldError(where, "must be a list of 1 to 100 strings, numbers, booleans or dates"));
                    }
                }
                case "gt", "gte", "lt", "lte" -> {
                    if (v instanceof Number) {
                        parts.add(new Compare(name, op, List.of(v)));
                    } else {
                        errors.add(new FieldError(where, "must be a number (use before/after for dates)"));
                    }
                }
                case "before", "after" -> {
                    if (v instanceof String s && Attributes.isDate(s)) {
                        parts.add(new Compare(name, op, List.of(s)));
                    } else {
                        errors.add(new FieldError(where, "must be a date YYYY-MM-DD"));
                    }
                }
                case "exists" -> {
                    if (v instanceof Boolean) {
                        parts.add(new Compare(name, op, List.of(v)));
                    } else {
                        errors.add(new FieldError(where, "must be true or false"));
                    }
                }
                default -> errors.add(new FieldError(where, "is not a comparison: equals, in, gt, gte, lt, lte, before, after or exists"));
            }
        }
        return parts.size() == 1 ? parts.get(0) : new All(parts);
    }

    private static boolean scalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean;
    }

    Set<String> OPS = Set.of("equals", "in", "gt", "gte", "lt", "lte", "before", "after", "exists");
}
