package dev.dripline.imports;

import dev.dripline.contacts.Attributes;
import dev.dripline.contacts.ContactInput;
import dev.dripline.errors.FieldError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A row of an import's file as a contact input, and a contact's field back as the file's column name. */
final class ImportRows {

    private ImportRows() {
    }

    /** A row as a contact input (the tests' shorthand: the header already in Dripline's names). */
    static ContactInput toInput(List<String> header, List<String> cells, List<FieldError> problems) {
        return toInput(header, null, "imp_test", cells, problems);
    }

    /**
     * A row as a contact input; cell problems (counts, dates, consent values) go to {@code problems}.
     * A consent value from the file is recorded with the source {@code csv_import:<importId>} and,
     * as proof, the column and the value it held, unless the file has its own consent.source or
     * consent.proof columns.
     */
    static ContactInput toInput(List<String> header, List<String> sourceHeader, String importId, List<String> cells,
                                List<FieldError> problems) {
        if (cells.size() != header.size()) {
            problems.add(new FieldError("row", "has " + cells.size() + " cells; the header has " + header.size()));
            return null;
        }
        Map<String, String> v = new HashMap<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        String consentColumn = "consent.status";
        for (int i = 0; i < header.size(); i++) {
            String cell = cells.get(i).trim();
            String column = header.get(i);
            if (cell.isEmpty() || column.equals(Columns.IGNORED)) {
                continue;
            }
            if (column.startsWith("attr.")) {
                attributes.put(column.substring(5), Attributes.fromText(cell));
            } else {
                v.put(column, cell);
                if (column.equals("consent.status") && sourceHeader != null) {
                    consentColumn = sourceHeader.get(i);
                }
            }
        }
        if (!v.containsKey("phone") && v.containsKey(Columns.PHONE_FALLBACK)) {
            v.put("phone", v.get(Columns.PHONE_FALLBACK));
        }
        List<String> tags = v.containsKey("tags") ? splitTags(v.get("tags")) : null;
        ContactInput.ConsentInput consent = null;
        if (v.containsKey("consent.status")) {
            String given = v.get("consent.status");
            String status = Columns.consentStatus(given);
            if (status == null) {
                problems.add(new FieldError("consent.status", "'" + given + "' in " + consentColumn + " is not a consent value: "
                        + "yes, true, 1, subscribed, opted_in (opted in); no, false, 0, unsubscribed, opted_out (opted out); pending"));
            }
            Instant captured = null;
            if (v.containsKey("consent.capturedAt")) {
                try {
                    captured = Instant.parse(v.get("consent.capturedAt"));
                } catch (DateTimeParseException e) {
                    problems.add(new FieldError("consent.capturedAt", "must be an ISO-8601 UTC time such as 2026-11-21T14:00:00Z"));
                }
            }
            consent = new ContactInput.ConsentInput(status == null ? given : status,
                    v.getOrDefault("consent.source", "csv_import:" + importId),
                    captured, v.getOrDefault("consent.proof", "column '" + consentColumn + "' was '" + given + "'"), null, null);
        }
        return new ContactInput(v.get("phone"), v.get("country"), v.get("firstName"), v.get("lastName"), v.get("email"),
                v.get("timeZone"), attributes.isEmpty() ? null : attributes, tags, consent);
    }

    /** Tags split on {@code ,} or {@code ;}; Mailchimp's quotes around each tag dropped. */
    static List<String> splitTags(String cell) {
        return java.util.Arrays.stream(cell.split("[,;]")).map(String::trim)
                .map(t -> t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1).trim() : t)
                .filter(t -> !t.isEmpty()).distinct().toList();
    }

    /** The core's field names as the file's column names. */
    static String csvField(String field) {
        if (field.startsWith("attributes.")) {
            return "attr." + field.substring("attributes.".length());
        }
        if (field.startsWith("tags[")) {
            return "tags";
        }
        return field;
    }
}
