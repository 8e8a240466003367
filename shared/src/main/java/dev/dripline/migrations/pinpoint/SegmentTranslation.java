package dev.dripline.migrations.pinpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Pinpoint segment ({@code GetSegment}'s SegmentResponse) as a Dripline segment filter over the
 * tags and attributes {@link Endpoints} wrote. What Dripline cannot express (EXCLUSIVE and
 * CONTAINS attribute tests, device demographics, GPS ranges, app-usage recency, imported
 * segments, groups built on other segments, NONE) is named in {@link #problems}, and then the
 * segment gets no filter at all: it is never approximated.
 */
public final class SegmentTranslation {

    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final String name;
    private final String pinpointId;
    private final Map<String, Object> filter;

    public SegmentTranslation(JsonNode segment) {
        this.name = segment.path("Name").asText(segment.path("Id").asText("Pinpoint segment"));
        this.pinpointId = segment.path("Id").asText(null);
        Map<String, Object> f = null;
        if ("IMPORT".equals(segment.path("SegmentType").asText())) {
            problems.add("an imported segment (SegmentType IMPORT) is a fixed list of endpoints from its import file, which its "
                    + "GetSegment JSON does not hold: tag those contacts instead (e.g. an import with a tags column)");
        } else {
            List<Object> parts = new ArrayList<>();
            if (segment.has("Dimensions")) {
                dimensions(segment.get("Dimensions"), "Dimensions").ifPresent(parts::add);
            }
            JsonNode groups = segment.path("SegmentGroups");
            if (groups.path("Groups").isArray() && !groups.path("Groups").isEmpty()) {
                groups(groups, "SegmentGroups").ifPresent(parts::add);
            }
            if (parts.isEmpty() && problems.isEmpty()) {
                problems.add("the segment has no dimensions: Pinpoint's all-endpoints segment is every contact (no segment needed)");
            }
            f = parts.size() == 1 ? asMap(parts.get(0)) : Map.of("all", parts);
        }
        this.filter = problems.isEmpty() ? f : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    public String name() {
        return name;
    }

    public String pinpointId() {
        return pinpointId;
    }

    /** The filter (POST /v1/segments' {@code filter}), or empty when the segment cannot be expressed. */
    public Optional<Map<String, Object>> filter() {
        return Optional.ofNullable(filter);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** What was translated with a remark (e.g. a dimension every SMS contact satisfies). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private Optional<Object> groups(JsonNode groups, String at) {
        String include = groups.path("Include").asText("ALL");
        List<Object> parts = new ArrayList<>();
        for (int i = 0; i < groups.get("Groups").size(); i++) {
            JsonNode g = groups.get("Groups").get(i);
            String gat = at + ".Groups[" + i + "]";
            if (g.path("SourceSegments").isArray() && !g.path("SourceSegments").isEmpty()) {
                problems.add(gat + ".SourceSegments: a group built on other segments (" + g.get("SourceSegments").findValuesAsText("Id")
                        + ") cannot be expressed; recreate the base segment's conditions in this one");
            }
            String type = g.path("Type").asText("ALL");
            List<Object> dims = new ArrayList<>();
            JsonNode ds = g.path("Dimensions");
            for (int d = 0; d < ds.size(); d++) {
                dimensions(ds.get(d), gat + ".Dimensions[" + d + "]").ifPresent(dims::add);
            }
            if (type.equals("NONE")) {
                problems.add(gat + ".Type NONE: Dripline filters have no negation");
            } else if (!dims.isEmpty()) {
                parts.add(dims.size() == 1 ? dims.get(0) : Map.of(type.equals("ANY") ? "any" : "all", dims));
            }
        }
        if (include.equals("NONE")) {
            problems.add(at + ".Include NONE: Dripline filters have no negation");
            return Optional.empty();
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts.size() == 1 ? parts.get(0) : Map.of(include.equals("ANY") ? "any" : "all", parts));
    }

    /** One SegmentDimensions object as the conditions it holds (all of them), or empty. */
    Optional<Object> dimensions(JsonNode d, String at) {
        List<Object> all = new ArrayList<>();
        attributes(d.path("Attributes"), at + ".Attributes", all);
        attributes(d.path("UserAttributes"), at + ".UserAttributes", all);
        d.path("Metrics").fields().forEachRemaining(m -> metric(m.getKey(), m.getValue(), at + ".Metrics." + m.getKey(), all));
        JsonNode demo = d.path("Demographic");
        demo.fields().forEachRemaining(dim -> {
            String dat = at + ".Demographic." + dim.getKey();
            List<String> values = texts(dim.getValue().path("Values"));
            boolean inclusive = !"EXCLUSIVE".equals(dim.getValue().path("DimensionType").asText("INCLUSIVE"));
            if (dim.getKey().equals("Channel") && inclusive && values.contains("SMS")) {
                notes.add(dat + " includes SMS: every Dripline contact is an SMS endpoint");
            } else if (dim.getKey().equals("Channel") && !inclusive && !values.contains("SMS")) {
                notes.add(dat + " excludes only " + values + ": every Dripline contact is an SMS endpoint");
            } else {
                problems.add(dat + " " + values + ": Dripline contacts carry no device or app data");
            }
        });
        JsonNode loc = d.path("Location");
        if (loc.has("Country")) {
            List<String> countries = texts(loc.path("Country").path("Values"));
            if ("EXCLUSIVE".equals(loc.path("Country").path("DimensionType").asText())) {
                problems.add(at + ".Location.Country EXCLUSIVE " + countries + ": Dripline filters have no negation");
            } else {
                all.add(countries.size() == 1 ? Map.of("attribute", "country", "equals", countries.get(0))
                        : Map.of("attribute", "country", "in", countries));
            }
        }
        if (loc.has("GPSPoint")) {
            problems.add(at + ".Location.GPSPoint: a distance from a point cannot be expressed (contacts keep city, state and zip)");
        }
        if (d.path("Behavior").has("Recency")) {
            problems.add(at + ".Behavior.Recency " + d.path("Behavior").path("Recency").path("RecencyType").asText() + " "
                    + d.path("Behavior").path("Recency").path("Duration").asText() + ": app-usage recency is not recorded for SMS contacts");
        }
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(all.size() == 1 ? all.get(0) : Map.of("all", all));
    }

    private void attributes(JsonNode map, String at, List<Object> all) {
        map.fields().forEachRemaining(a -> {
            String name = Endpoints.attributeName(a.getKey());
            String type = a.getValue().path("AttributeType").asText("INCLUSIVE");
            List<String> values = texts(a.getValue().path("Values"));
            String aat = at + "." + a.getKey();
            switch (type) {
                case "INCLUSIVE" -> {
                    List<Object> tags = new ArrayList<>();
                    for (String v : values) {
                        tags.add(Map.of("tag", Endpoints.tag(name, v)));
                    }
                    if (tags.isEmpty()) {
                        problems.add(aat + " INCLUSIVE has no values");
                    } else {
                        all.add(tags.size() == 1 ? tags.get(0) : Map.of("any", tags));
                    }
                }
                case "BEFORE", "AFTER", "ON", "BETWEEN" -> dates(name, type, values, aat).ifPresent(all::add);
                default -> problems.add(aat + " " + type + " " + values + ": Dripline filters have no "
                        + (type.equals("EXCLUSIVE") ? "negation" : "substring test"));
            }
        });
    }

    private Optional<Object> dates(String name, String type, List<String> values, String at) {
        List<LocalDate> days = new ArrayList<>();
        for (String v : values) {
            try {
                days.add(LocalDate.parse(v.length() >= 10 ? v.substring(0, 10) : v));
            } catch (DateTimeParseException e) {
                problems.add(at + " " + type + ": '" + v + "' is not a date");
                return Optional.empty();
            }
        }
        if (days.isEmpty() || type.equals("BETWEEN") && days.size() != 2) {
            problems.add(at + " " + type + " needs " + (type.equals("BETWEEN") ? "two dates" : "a date"));
            return Optional.empty();
        }
        if (values.stream().anyMatch(v -> v.length() > 10 && !v.substring(10).matches("T00:00(:00(\\.0+)?)?Z?"))) {
            notes.add(at + " " + type + " " + values + ": compared by day (Dripline date attributes have no time of day)");
        }
        return Optional.of(switch (type) {
            case "BEFORE" -> Map.of("attribute", name, "before", days.get(0).toString());
            case "AFTER" -> Map.of("attribute", name, "after", days.get(0).toString());
            case "ON" -> Map.of("attribute", name, "equals", days.get(0).toString());
            default -> Map.of("all", List.of(Map.of("attribute", name, "after", days.get(0).minusDays(1).toString()),
                    Map.of("attribute", name, "before", days.get(1).plusDays(1).toString())));
        });
    }

    private void metric(String key, JsonNode m, String at, List<Object> all) {
        String op = switch (m.path("ComparisonOperator").asText()) {
            case "GREATER_THAN" -> "gt";
            case "GREATER_THAN_OR_EQUAL" -> "gte";
            case "LESS_THAN" -> "lt";
            case "LESS_THAN_OR_EQUAL" -> "lte";
            case "EQUAL" -> "equals";
            default -> null;
        };
        if (op == null || !m.path("Value").isNumber()) {
            problems.add(at + ": comparison '" + m.path("ComparisonOperator").asText() + "' with " + m.path("Value") + " is not one of "
                    + "GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, EQUAL on a number");
            return;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("attribute", Endpoints.attributeName(key));
        c.put(op, m.get("Value").numberValue());
        all.add(c);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
