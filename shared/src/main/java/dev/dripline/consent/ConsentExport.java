package dev.dripline.consent;

import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Ledger entries as auditors take them: CSV (RFC 4180, with a header) or JSON lines. */
public final class ConsentExport {

    public static final String CSV = "text/csv; charset=utf-8";
    public static final String JSONL = "application/x-ndjson";
    private static final List<String> COLUMNS = List.of("recordedAt", "contactId", "entryId", "status", "channel", "source",
            "proof", "ip", "userAgent", "actor", "capturedAt", "topic", "scope", "rule");

    private ConsentExport() {
    }

    /** csv or jsonl (default csv); anything else names {@code format}. */
    public static String format(String format) {
        String f = format == null || format.isBlank() ? "csv" : format.trim().toLowerCase(Locale.ROOT);
        if (!f.equals("csv") && !f.equals("jsonl")) {
            throw InvalidInput.of("format", "must be csv or jsonl");
        }
        return f;
    }

    public static String contentType(String format) {
        return "csv".equals(format) ? CSV : JSONL;
    }

    public static String render(List<ConsentEntry> entries, String format) {
        StringBuilder out = new StringBuilder();
        if ("csv".equals(format)) {
            out.append(String.join(",", COLUMNS)).append("\r\n");
            for (ConsentEntry e : entries) {
                List<String> cells = new ArrayList<>();
                row(e).values().forEach(v -> cells.add(cell(v == null ? "" : v.toString())));
                out.append(String.join(",", cells)).append("\r\n");
            }
        } else {
            for (ConsentEntry e : entries) {
                out.append(Json.write(row(e))).append('\n');
            }
        }
        return out.toString();
    }

    private static Map<String, Object> row(ConsentEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordedAt", e.recordedAt() == null ? null : e.recordedAt().toString());
        m.put("contactId", e.contactId());
        m.put("entryId", e.entryId());
        m.put("status", e.status() == null ? null : e.status().wire());
        m.put("channel", e.channel());
        m.put("source", e.source());
        m.put("proof", e.proof());
        m.put("ip", e.ip());
        m.put("userAgent", e.userAgent());
        m.put("actor", e.actor());
        m.put("capturedAt", e.capturedAt() == null ? null : e.capturedAt().toString());
        m.put("topic", e.topic());
        m.put("scope", e.scope());
        m.put("rule", e.rule());
        return m;
    }

    /** Quoted when needed; a leading = + - @ is defused for spreadsheets (OWASP CSV injection). */
    private static String cell(String v) {
        String s = !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
