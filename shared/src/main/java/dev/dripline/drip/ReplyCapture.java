package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.contacts.Attributes;
import dev.dripline.errors.FieldError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a step that waits for a reply does with the answer: {@code waitForReply.save} (the
 * contact attribute it is saved as, and its type) and {@code waitForReply.invalid} (the text that
 * asks again, and how often), with the step's {@code onInvalid}: where the run goes when the
 * contact has answered invalidly once more than {@code retries} allows (without it, it goes on as
 * on a timeout).
 *
 * @param min          integer/number: the smallest valid answer, or null
 * @param max          integer/number: the largest valid answer, or null
 * @param maxLength    text: the most characters an answer may have
 * @param choices      choice: the valid answers, as saved
 * @param invalidReply the text sent after an invalid answer; null: an invalid answer is not answered
 * @param retries      how many invalid answers are answered with {@code invalidReply} before the run gives up
 * @param onInvalid    the step the run goes to when it gives up; null: as on a timeout
 */
public record ReplyCapture(String attribute, AnswerType type, BigDecimal min, BigDecimal max, int maxLength, List<String> choices,
                           String invalidReply, int retries, String onInvalid) {

    /** The step fields this adds to the campaign format. */
    static final Set<String> STEP_FIELDS = Set.of("onInvalid");
    static final int MAX_RETRIES = 5;
    static final int MAX_CHOICES = 20;
    static final int MAX_INVALID_REPLY = 480;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d{1,18}(\\.\\d{1,12})?|\\.\\d{1,12})");
    private static final Set<String> YES = Set.of("yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "true",
            "是", "是的", "对", "对的", "對", "對的", "好", "好的", "要", "可以", "行", "有", "嗯");
    private static final Set<String> NO = Set.of("no", "n", "nope", "nah", "false",
            "否", "不", "不是", "不对", "不對", "不要", "不用", "不好", "不行", "没有", "沒有", "没", "沒");

    /** Whether the answers are scores from 0 to 10, so that the stats show their NPS. */
    public boolean npsScale() {
        return type == AnswerType.INTEGER && min != null && max != null && min.compareTo(BigDecimal.ZERO) == 0
                && max.compareTo(BigDecimal.TEN) == 0;
    }

    /**
     * The answer a reply gives, as saved (a {@link BigDecimal}, a {@link Boolean} or a string),
     * or empty when it is no valid answer. Full-width digits and letters count as their ASCII
     * forms (NFKC), and trailing punctuation is dropped ("7!" is 7, "是。" is yes).
     */
    public Optional<Object> read(String reply) {
        String text = DueSteps.normalise(Normalizer.normalize(reply == null ? "" : reply, Normalizer.Form.NFKC));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        switch (type) {
            case INTEGER -> {
                if (!INTEGER.matcher(text).matches()) {
                    return Optional.empty();
                }
                BigDecimal n = new BigDecimal(new BigInteger(text.startsWith("+") ? text.substring(1) : text));
                return inRange(n) ? Optional.of(n) : Optional.empty();
            }
            case NUMBER -> {
                if (!NUMBER.matcher(text).matches()) {
                    return Optional.empty();
                }
                BigDecimal n = new BigDecimal(text.startsWith("+") ? text.substring(1) : text).stripTrailingZeros();
                n = n.scale() < 0 ? n.setScale(0) : n;
                return inRange(n) ? Optional.of(n) : Optional.empty();
            }
            case TEXT -> {
                String kept = reply.strip();
                // A text of a date's shape that is no real day (2026-02-30) is not an attribute value.
                boolean badDate = kept.matches("\\d{4}-\\d{2}-\\d{2}") && !Attributes.isDate(kept);
                return kept.isEmpty() || kept.length() > maxLength || badDate ? Optional.empty() : Optional.of(kept);
            }
            case YESNO -> {
                String t = text.toLowerCase(Locale.ROOT);
                return YES.contains(t) ? Optional.of(Boolean.TRUE) : NO.contains(t) ? Optional.of(Boolean.FALSE) : Optional.empty();
            }
            case CHOICE -> {
                for (String c : choices) {
                    if (c.equalsIgnoreCase(text) || Normalizer.normalize(c, Normalizer.Form.NFKC).equalsIgnoreCase(text)) {
                        return Optional.of(c);
                    }
                }
                if (text.matches("\\d{1,2}")) {
                    int n = Integer.parseInt(text);
                    if (n >= 1 && n <= choices.size()) {
                        return Optional.of(choices.get(n - 1));
                    }
                }
                return Optional.empty();
            }
            default -> throw new IllegalStateException("unknown answer type " + type);
        }
    }

    private boolean inRange(BigDecimal n) {
        return (min == null || n.compareTo(min) >= 0) && (max == null || n.compareTo(max) <= 0);
    }

    /**
     * Reads {@code waitForReply.save}, {@code waitForReply.invalid} and the step's
     * {@code onInvalid}, naming every problem; empty when the step saves no answer.
     */
    static Optional<ReplyCapture> parse(JsonNode waitForReply, JsonNode step, String at, List<FieldError> errors) {
        JsonNode save = waitForReply == null ? null : waitForReply.get("save");
        JsonNode invalid = waitForReply == null ? null : waitForReply.get("invalid");
        boolean saves = save != null && !save.isNull();
        String w = at + ".waitForReply";
        if (waitForReply != null) {
            for (String f : iterable(waitForReply.fieldNames())) {
                if (!Set.of("timeout", "save", "invalid").contains(f)) {
                    errors.add(new FieldError(w + "." + f, "is not a waitForReply field (known: invalid, save, timeout)"));
                }
            }
        }
        if (!saves) {
            if (invalid != null && !invalid.isNull()) {
                errors.add(new FieldError(w + ".invalid", "needs save: only a saved answer can be invalid"));
            }
            if (step.hasNonNull("onInvalid")) {
                errors.add(new FieldError(at + ".onInvalid", "needs waitForReply.save: only a saved answer can be invalid"));
            }
            return Optional.empty();
        }
        if (!save.isObject()) {
            errors.add(new FieldError(w + ".save", "must be {\"attribute\": \"nps\", \"type\": \"integer\", \"min\"?: 0, \"max\"?: 10}"));
            return Optional.empty();
        }
        String s = w + ".save";
        for (String f : iterable(save.fieldNames())) {
            if (!Set.of("attribute", "type", "min", "max", "maxLength", "choices").contains(f)) {
                errors.add(new FieldError(s + "." + f, "is not a save field (known: attribute, choices, max, maxLength, min, type)"));
            }
        }
        String attribute = save.path("attribute").isTextual() ? save.get("attribute").asText() : null;
        if (attribute == null || !NAME.matcher(attribute).matches()) {
            errors.add(new FieldError(s + ".attribute", "is required: a contact attribute name of 1-64 letters, digits, '_', '.' or '-'"));
        }
        AnswerType type = AnswerType.TEXT;
        if (save.has("type")) {
            type = save.get("type").isTextual() ? AnswerType.fromWire(save.get("type").asText()) : null;
            if (type == null) {
                errors.add(new FieldError(s + ".type", "must be integer, number, text, yesno or choice"));
                type = AnswerType.TEXT;
            }
        }
        boolean numeric = type == AnswerType.INTEGER || type == AnswerType.NUMBER;
        BigDecimal min = bound(save, "min", s, numeric, type, errors);
        BigDecimal max = bound(save, "max", s, numeric, type, errors);
        if (min != null && max != null && min.compareTo(max) > 0) {
            errors.add(new FieldError(s + ".min", "is larger than max (" + min.toPlainString() + " > " + max.toPlainString() + ")"));
        }
        int maxLength = Attributes.MAX_STRING;
        if (save.has("maxLength")) {
            JsonNode m = save.get("maxLength");
            if (type != AnswerType.TEXT) {
                errors.add(new FieldError(s + ".maxLength", "applies to type text only"));
            } else if (!m.canConvertToInt() || !m.isIntegralNumber() || m.asInt() < 1 || m.asInt() > Attributes.MAX_STRING) {
                errors.add(new FieldError(s + ".maxLength", "must be a whole number from 1 to " + Attributes.MAX_STRING));
            } else {
                maxLength = m.asInt();
            }
        }
        List<String> choices = choices(save.get("choices"), s + ".choices", type, errors);
        String invalidReply = null;
        int retries = 0;
        if (invalid != null && !invalid.isNull()) {
            String v = w + ".invalid";
            if (!invalid.isObject()) {
                errors.add(new FieldError(v, "must be {\"reply\": \"Please answer with a number from 0 to 10\", \"retries\"?: 2}"));
            } else {
                for (String f : iterable(invalid.fieldNames())) {
                    if (!f.equals("reply") && !f.equals("retries")) {
                        errors.add(new FieldError(v + "." + f, "is not an invalid field (known: reply, retries)"));
                    }
                }
                JsonNode r = invalid.get("reply");
                if (r == null || !r.isTextual() || r.asText().isBlank()) {
                    errors.add(new FieldError(v + ".reply", "is required: the text that asks again"));
                } else if (r.asText().length() > MAX_INVALID_REPLY) {
                    errors.add(new FieldError(v + ".reply", "has " + r.asText().length() + " characters; at most " + MAX_INVALID_REPLY));
                } else {
                    invalidReply = r.asText().strip();
                }
                retries = 1;
                if (invalid.has("retries")) {
                    JsonNode n = invalid.get("retries");
                    if (!n.isIntegralNumber() || n.asInt() < 0 || n.asInt() > MAX_RETRIES) {
                        errors.add(new FieldError(v + ".retries", "must be a whole number from 0 to " + MAX_RETRIES));
                    } else {
                        retries = n.asInt();
                    }
                }
            }
        }
        String onInvalid = null;
        if (step.has("onInvalid")) {
            JsonNode o = step.get("onInvalid");
            if (!o.isTextual() || o.asText().isBlank()) {
                errors.add(new FieldError(at + ".onInvalid", "must be a step id"));
            } else {
                onInvalid = o.asText();
            }
        }
        return Optional.of(new ReplyCapture(attribute == null ? "" : attribute, type, min, max, maxLength, choices, invalidReply, retries,
                onInvalid));
    }

    private static BigDecimal bound(JsonNode save, String name, String at, boolean numeric, AnswerType type, List<FieldError> errors) {
        JsonNode n = save.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!numeric) {
            errors.add(new FieldError(at + "." + name, "applies to types integer and number only"));
            return null;
        }
        if (!n.isNumber() || (type == AnswerType.INTEGER && !n.isIntegralNumber()) || n.decimalValue().abs().compareTo(BigDecimal.valueOf(1e18)) > 0) {
            errors.add(new FieldError(at + "." + name, type == AnswerType.INTEGER ? "must be a whole number" : "must be a number"));
            return null;
        }
        return n.decimalValue();
    }

    private static List<String> choices(JsonNode n, String at, AnswerType type, List<FieldError> errors) {
        if (type != AnswerType.CHOICE) {
            if (n != null && !n.isNull()) {
                errors.add(new FieldError(at, "applies to type choice only"));
            }
            return List.of();
        }
        if (n == null || !n.isArray() || n.size() < 2 || n.size() > MAX_CHOICES) {
            errors.add(new FieldError(at, "is required for type choice: a list of 2 to " + MAX_CHOICES + " answers, such as [\"A\", \"B\", \"C\"]"));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode c = n.get(i);
            String text = c.isTextual() ? c.asText().strip() : null;
            if (text == null || text.isEmpty() || text.length() > 100) {
                errors.add(new FieldError(at + "[" + i + "]", "must be a text of 1-100 characters"));
            } else if (!seen.add(text.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(at + "[" + i + "]", "'" + text + "' is listed twice (choices are matched in any case)"));
            } else {
                out.add(text);
            }
        }
        return List.copyOf(out);
    }

    private static Iterable<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
