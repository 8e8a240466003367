package dev.dripline.migrations.pinpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.errors.InvalidInput;
import dev.dripline.imports.ImportChunk;
import dev.dripline.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pinpoint endpoints (EndpointResponse lines of an export) as contact rows for the import
 * machinery: SMS endpoints only, their {@code Address} parsed to E.164 by libphonenumber (with
 * {@code Location.Country} for national numbers), and the endpoints of one number (one user's
 * several endpoints, or the same number exported twice) merged into one row before any write.
 *
 * <p>Mapping: {@code Demographic.Timezone} → timeZone; {@code Location.City/Region/PostalCode}
 * → attributes city, state, zip (the jurisdiction attributes); {@code User.UserId} → attribute
 * {@code externalId}; {@code User.UserAttributes} FirstName, LastName, Email → those fields;
 * every other value of {@code Attributes} and {@code User.UserAttributes} → a tag
 * {@code <name>:<value>}, and, when the list has one value, also an attribute {@code <name>};
 * {@code Metrics} → numeric attributes. {@code OptOut: ALL} on any endpoint of a number → opted
 * out, with the file and line as proof; {@code OptOut: NONE} → opted in with the same kind of
 * evidence (Pinpoint was sending to it); an endpoint whose EndpointStatus is INACTIVE is tagged
 * {@code pinpoint-inactive}.
 */
public final class Endpoints {

    static final int CHUNK_ROWS = 500;
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    /** An endpoint that was not imported, and why. */
    public record Refusal(String file, int line, String reason) {
    }

    /** One number's merged row: columns (Dripline import names) to cell text. */
    record Row(String phone, int line, Map<String, String> cells) {
    }

    private final Map<String, Row> byPhone = new LinkedHashMap<>();
    private final Map<String, Set<String>> tags = new LinkedHashMap<>();
    private final List<Refusal> refused = new ArrayList<>();
    private final Map<String, Integer> refusedByReason = new TreeMap<>();
    private int read;
    private int sms;

    /** Reads one file's lines; refusals are kept with their file and line. */
    public void read(PinpointFile file) {
        int lineNo = 0;
        for (String line : file.text().split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            read++;
            JsonNode e;
            try {
                e = Json.mapper().readTree(line);
            } catch (IOException bad) {
                refuse(file.name(), lineNo, "not a JSON object");
                continue;
            }
            if (e == null || !e.isObject()) {
                refuse(file.name(), lineNo, "not a JSON object");
                continue;
            }
            String channel = e.path("ChannelType").asText("");
            if (!channel.equals("SMS")) {
                refuse(file.name(), lineNo, "channel " + (channel.isEmpty() ? "missing" : channel) + " is not SMS");
                continue;
            }
            sms++;
            String country = e.path("Location").path("Country").asText(null);
            PhoneNumber phone;
            try {
                phone = PhoneNumber.parse(e.path("Address").asText(null), validCountry(country), "Address");
            } catch (InvalidInput bad) {
                refuse(file.name(), lineNo, bad.errors().get(0).field() + " " + bad.errors().get(0).message());
                continue;
            }
            merge(file.name(), lineNo, phone, e);
        }
    }

    private static String validCountry(String country) {
        return country != null && com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions()
                .contains(country.toUpperCase(Locale.ROOT)) ? country.toUpperCase(Locale.ROOT) : null;
    }

    private void refuse(String file, int line, String reason) {
        refused.add(new Refusal(file, line, reason));
        refusedByReason.merge(reason.replaceAll("'[^']*'", "'…'"), 1, Integer::sum);
    }

    private void merge(String file, int line, PhoneNumber phone, JsonNode e) {
        String e164 = phone.e164();
        Row row = byPhone.computeIfAbsent(e164, p -> new Row(p, line, new LinkedHashMap<>()));
        Map<String, String> c = row.cells();
        Set<String> tagSet = tags.computeIfAbsent(e164, p -> new LinkedHashSet<>());
        c.put("phone", e164);
        String zone = e.path("Demographic").path("Timezone").asText("");
        if (!zone.isBlank() && ZONES.contains(zone)) {
            c.put("timeZone", zone);
        }
        JsonNode loc = e.path("Location");
        c.put("attr.country", validCountry(loc.path("Country").asText(null)) != null
                ? loc.path("Country").asText().toUpperCase(Locale.ROOT) : phone.country());
        putText(c, "attr.city", loc.path("City"));
        putText(c, "attr.state", loc.path("Region"));
        putText(c, "attr.zip", loc.path("PostalCode"));
        putText(c, "attr.externalId", e.path("User").path("UserId"));
        lists(e.path("Attributes"), c, tagSet, Set.of());
        JsonNode user = e.path("User").path("UserAttributes");
        for (String[] field : new String[][] {{"FirstName", "firstName"}, {"LastName", "lastName"}, {"Email", "email"}}) {
            JsonNode v = user.path(field[0]);
            if (v.isArray() && !v.isEmpty()) {
                c.put(field[1], v.get(0).asText());
            }
        }
        lists(user, c, tagSet, Set.of("FirstName", "LastName", "Email"));
        e.path("Metrics").fields().forEachRemaining(m -> {
            if (m.getValue().isNumber()) {
                c.put("attr." + attributeName(m.getKey()), m.getValue().asText());
            }
        });
        if ("INACTIVE".equals(e.path("EndpointStatus").asText())) {
            tagSet.add("pinpoint-inactive");
        }
        String optOut = e.path("OptOut").asText("NONE");
        boolean already = "opted_out".equals(c.get("consent.status"));
        if (!already) {
            boolean out = "ALL".equals(optOut);
            c.put("consent.status", out ? "opted_out" : "opted_in");
            c.put("consent.source", "pinpoint_export");
            c.put("consent.proof", file + " line " + line + ": OptOut " + optOut
                    + (out ? "" : " (Pinpoint endpoint " + e.path("Id").asText("?") + " was reachable)"));
            String effective = e.path("EffectiveDate").asText("");
            try {
                c.put("consent.capturedAt", Instant.parse(effective).toString());
            } catch (RuntimeException noDate) {
                c.remove("consent.capturedAt");
            }
        }
    }

    private static void lists(JsonNode map, Map<String, String> c, Set<String> tagSet, Set<String> fields) {
        map.fields().forEachRemaining(a -> {
            if (!a.getValue().isArray() || fields.contains(a.getKey())) {
                return;
            }
            List<String> values = new ArrayList<>();
            a.getValue().forEach(v -> values.add(v.asText().replaceAll("[,;]", " ").trim()));
            String name = attributeName(a.getKey());
            if (values.size() == 1 && !values.get(0).isEmpty()) {
                c.put("attr." + name, values.get(0));
            }
            for (String v : values) {
                String tag = tag(name, v);
                if (!v.isEmpty() && tag.length() <= 64) {
                    tagSet.add(tag);
                }
            }
        });
    }

    /** The tag an attribute value becomes: {@code <name>:<value>}, lower case (segments translate to the same). */
    static String tag(String attribute, String value) {
        return (attributeName(attribute) + ":" + value.replaceAll("[,;]", " ").trim()).toLowerCase(Locale.ROOT);
    }

    /** Pinpoint attribute names as Dripline's (letters, digits, _ . -). */
    static String attributeName(String name) {
        String n = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return n.length() > 64 ? n.substring(0, 64) : n;
    }

    private static void putText(Map<String, String> c, String column, JsonNode v) {
        if (v.isTextual() && !v.asText().isBlank()) {
            c.put(column, v.asText().trim());
        }
    }

    /** The rows as import chunks (each with the union of its rows' columns as its header). */
    public List<ImportChunk> chunks(String importId, String actor) {
        List<ImportChunk> chunks = new ArrayList<>();
        List<Row> rows = new ArrayList<>(byPhone.values());
        for (int from = 0; from < rows.size(); from += CHUNK_ROWS) {
            List<Row> part = rows.subList(from, Math.min(rows.size(), from + CHUNK_ROWS));
            Set<String> columns = new LinkedHashSet<>();
            for (Row r : part) {
                columns.addAll(r.cells().keySet());
                if (!tags.get(r.phone()).isEmpty()) {
                    columns.add("tags");
                }
            }
            List<String> header = List.copyOf(columns);
            List<ImportChunk.Line> lines = new ArrayList<>();
            for (Row r : part) {
                List<String> cells = new ArrayList<>();
                for (String col : header) {
                    cells.add(col.equals("tags") ? String.join(",", tags.get(r.phone())) : r.cells().getOrDefault(col, ""));
                }
                lines.add(new ImportChunk.Line(r.line(), cells));
            }
            chunks.add(new ImportChunk(importId, chunks.size(), actor, header, lines, header));
        }
        return chunks;
    }

    /** Endpoint lines read (all channels). */
    public int read() {
        return read;
    }

    public int smsEndpoints() {
        return sms;
    }

    /** Distinct numbers after merging. */
    public int numbers() {
        return byPhone.size();
    }

    /** SMS endpoints folded into another endpoint of the same number. */
    public int merged() {
        return sms - refusedSms() - byPhone.size();
    }

    private int refusedSms() {
        return (int) refused.stream().filter(r -> !r.reason().startsWith("channel ")).count();
    }

    public int optedOut() {
        return (int) byPhone.values().stream().filter(r -> "opted_out".equals(r.cells().get("consent.status"))).count();
    }

    public List<Refusal> refused() {
        return List.copyOf(refused);
    }

    public Map<String, Integer> refusedByReason() {
        return Map.copyOf(refusedByReason);
    }
}
