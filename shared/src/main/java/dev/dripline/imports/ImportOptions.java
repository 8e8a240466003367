package dev.dripline.imports;

import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How an import reads its file's columns: an explicit {@code mapping} from the file's column
 * names to Dripline's (applied before any alias), and what to do with columns that are neither
 * known nor mapped.
 *
 * @param mapping        the file's column name (as written, matched like headers) to a target:
 *                       a column name, {@code attr.<name>} or {@code ignore}
 * @param unknownColumns {@code error} (default: one error listing them), {@code attributes}
 *                       (kept as attributes named after the column), {@code ignore}
 */
public record ImportOptions(Map<String, String> mapping, UnknownColumns unknownColumns) {

    public enum UnknownColumns { ERROR, ATTRIBUTES, IGNORE }

    public static final ImportOptions DEFAULT = new ImportOptions(Map.of(), UnknownColumns.ERROR);

    public ImportOptions {
        mapping = Map.copyOf(mapping);
    }

    /**
     * The query parameters of {@code POST /v1/imports}: {@code mapping=Mobile=phone,Loyalty Tier=attr.tier,Notes=ignore}
     * (pairs separated by {@code ,} or a new line) and {@code unknownColumns=error|attributes|ignore}.
     */
    public static ImportOptions parse(String mapping, String unknownColumns) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> pairs = new LinkedHashMap<>();
        if (mapping != null && !mapping.isBlank()) {
            for (String pair : mapping.split("[,\n]")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.lastIndexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    errors.add(new FieldError("mapping", "'" + pair.trim() + "' is not a pair: write Column=target, e.g. Mobile=phone"));
                    continue;
                }
                String column = pair.substring(0, eq).trim();
                String target = pair.substring(eq + 1).trim();
                if (pairs.put(column, target) != null) {
                    errors.add(new FieldError("mapping", "maps '" + column + "' twice"));
                }
            }
        }
        UnknownColumns unknown = UnknownColumns.ERROR;
        if (unknownColumns != null && !unknownColumns.isBlank()) {
            try {
                unknown = UnknownColumns.valueOf(unknownColumns.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("unknownColumns", "must be error, attributes or ignore"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new ImportOptions(pairs, unknown);
    }
}
