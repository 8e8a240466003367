package dev.dripline.webhooks;

import dev.dripline.errors.InvalidInput;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An application/x-www-form-urlencoded body (or query string) parsed from the raw text, in the
 * order sent, duplicates kept, so signatures see exactly what the provider sent.
 */
public final class Form {

    private final List<Map.Entry<String, String>> fields;

    private Form(List<Map.Entry<String, String>> fields) {
        this.fields = List.copyOf(fields);
    }

    /** Parses UTF-8 form text; malformed escapes are {@link InvalidInput}. Null or blank is an empty form. */
    public static Form parse(String raw) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    fields.add(new AbstractMap.SimpleImmutableEntry<>(URLDecoder.decode(name, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8)));
                } catch (IllegalArgumentException e) {
                    throw InvalidInput.of("body", "is not valid application/x-www-form-urlencoded");
                }
            }
        }
        return new Form(fields);
    }

    public static Form of(List<Map.Entry<String, String>> fields) {
        return new Form(fields);
    }

    public List<Map.Entry<String, String>> fields() {
        return fields;
    }

    /** The fields sorted by name, then value: the order the signature schemes use. */
    public List<Map.Entry<String, String>> sorted() {
        List<Map.Entry<String, String>> copy = new ArrayList<>(fields);
        copy.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue(Comparator.naturalOrder())));
        return copy;
    }

    public Optional<String> first(String name) {
        return fields.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
    }

    /** A required, non-blank field. */
    public String required(String name) {
        return first(name).filter(v -> !v.isBlank()).orElseThrow(() -> InvalidInput.of(name, "is required"));
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * A count field ({@code NumMedia}, {@code MediaCount}): 0 when absent or blank, else a whole
     * number from 0 to {@code max}, or a 422 naming the field.
     */
    public static int count(Form form, String name, int max) {
        String raw = form.first(name).map(String::trim).orElse("");
        if (raw.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw dev.dripline.errors.InvalidInput.of(name, "must be a whole number from 0 to " + max + ", not '" + raw + "'");
    }
}
