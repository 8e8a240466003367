package dev.dripline.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compliance rules table ({@code dev/dripline/compliance/rules.yaml}): a version and its
 * rows, checked when loaded so that a bad row fails the build with its id and field named.
 */
public record RulesTable(String version, List<Rule> rules) {

    public static final String RESOURCE = "dev/dripline/compliance/rules.yaml";

    private static final Pattern WINDOW = Pattern.compile("(\\d\\d:\\d\\d)-(\\d\\d:\\d\\d)");
    private static final Pattern JURISDICTION = Pattern.compile("default|[A-Z]{2}(-[A-Z0-9]{1,3})?");
    private static final Set<String> CATEGORIES = Set.of("marketing", "transactional");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static volatile RulesTable bundled;

    /** The table shipped in the jar, loaded once. */
    public static RulesTable bundled() {
        RulesTable t = bundled;
        if (t == null) {
            try (InputStream in = RulesTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the compliance rules table " + RESOURCE + " is missing from the classpath");
                }
                t = parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bundled = t;
        }
        return t;
    }

    /** Reads and checks a table. @throws IllegalArgumentException naming the row and field at fault */
    public static RulesTable parse(InputStream yaml) throws IOException {
        return parse(YAML.readTree(yaml));
    }

    public static RulesTable parse(String yaml) {
        try {
            return parse(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new IllegalArgumentException("the rules table is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static RulesTable parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the rules table must be a mapping with `version` and `rules`");
        }
        String version = text(root, "version", "the rules table");
        JsonNode rows = root.get("rules");
        if (rows == null || !rows.isArray() || rows.isEmpty()) {
            throw new IllegalArgumentException("the rules table has no `rules` list");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int i = 0;
        for (JsonNode row : rows) {
            i++;
            String where = "rule #" + i;
            String id = text(row, "id", where);
            where = "rule '" + id + "'";
            if (!ids.add(id)) {
                throw new IllegalArgumentException(where + ": the id is used twice");
            }
            rules.add(rule(row, id, where));
        }
        if (rules.stream().noneMatch(r -> r.kind() == Rule.Kind.HOURS && r.jurisdiction().equals("default") && r.until() == null)) {
            throw new IllegalArgumentException("the rules table needs an open-ended `hours` rule for jurisdiction `default`");
        }
        return new RulesTable(version, List.copyOf(rules));
    }

    private static Rule rule(JsonNode row, String id, String where) {
        String jurisdiction = text(row, "jurisdiction", where);
        if (!JURISDICTION.matcher(jurisdiction).matches()) {
            throw new IllegalArgumentException(where + ": jurisdiction '" + jurisdiction
                    + "' is not `default`, a country (US) or a subdivision (US-TX)");
        }
        Rule.Kind kind;
        try {
            kind = Rule.Kind.valueOf(text(row, "kind", where).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": kind '" + row.get("kind").asText() + "' is not one of hours, cap, text, registration, revocation");
        }
        Set<String> categories = new LinkedHashSet<>();
        JsonNode cats = row.get("categories");
        if (cats == null) {
            categories.add("marketing");
        } else {
            for (JsonNode c : cats) {
                if (!CATEGORIES.contains(c.asText())) {
                    throw new IllegalArgumentException(where + ": category '" + c.asText() + "' is not marketing or transactional");
                }
                categories.add(c.asText());
            }
        }
        String source = text(row, "source", where);
        try {
            URI u = URI.create(source);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": source '" + source + "' is not a URL of the statute or regulator page");
        }
        String citation = text(row, "citation", where);
        JsonNode eff = row.get("effective");
        if (eff == null || !eff.isObject()) {
            throw new IllegalArgumentException(where + ": `effective: {from: YYYY-MM-DD, until?: YYYY-MM-DD}` is missing");
        }
        LocalDate from = date(eff, "from", where);
        LocalDate until = eff.hasNonNull("until") ? date(eff, "until", where) : null;
        if (until != null && !until.isAfter(from)) {
            throw new IllegalArgumentException(where + ": effective.until " + until + " is not after effective.from " + from);
        }
        Map<DayOfWeek, List<Rule.Window>> hours = Map.of();
        Optional<Rule.HolidayCalendar> holidays = Optional.empty();
        Optional<Rule.Cap> cap = Optional.empty();
        Optional<Rule.RequiredText> text = Optional.empty();
        Optional<String> registry = Optional.empty();
        Optional<String> scope = Optional.empty();
        switch (kind) {
            case HOURS -> {
                hours = hours(require(row, "hours", where), where);
                if (row.has("holidays")) {
                    holidays = Optional.of(holidays(row.get("holidays"), where));
                }
            }
            case CAP -> cap = Optional.of(cap(require(row, "cap", where), where));
            case TEXT -> {
                JsonNode t = require(row, "text", where);
                String prefix = t.hasNonNull("prefix") ? t.get("prefix").asText() : null;
                String suffix = t.hasNonNull("suffix") ? t.get("suffix").asText() : null;
                if (prefix == null && suffix == null) {
                    throw new IllegalArgumentException(where + ": text needs a prefix or a suffix");
                }
                text = Optional.of(new Rule.RequiredText(text(t, "locale", where + ": text"), prefix, suffix));
            }
            case REGISTRATION -> registry = Optional.of(text(require(row, "registration", where), "registry", where + ": registration"));
            case REVOCATION -> {
                String s = text(require(row, "revocation", where), "scope", where + ": revocation");
                if (!s.equals("topic") && !s.equals("all")) {
                    throw new IllegalArgumentException(where + ": revocation.scope '" + s + "' is not topic or all");
                }
                scope = Optional.of(s);
            }
            default -> throw new IllegalStateException();
        }
        return new Rule(id, jurisdiction, kind, Set.copyOf(categories), source, citation, from, until, hours, holidays, cap, text,
                registry, scope);
    }

    private static Map<DayOfWeek, List<Rule.Window>> hours(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": hours must map weekdays (or `default`) to windows");
        }
        Map<DayOfWeek, List<Rule.Window>> byDay = new EnumMap<>(DayOfWeek.class);
        List<Rule.Window> fallback = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Rule.Window> windows = windows(e.getValue(), where + ": hours." + e.getKey());
            if (e.getKey().equals("default")) {
                fallback = windows;
            } else {
                try {
                    byDay.put(DayOfWeek.valueOf(e.getKey().toUpperCase(Locale.ROOT)), windows);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException(where + ": hours key '" + e.getKey() + "' is not a weekday (MONDAY..SUNDAY) or `default`");
                }
            }
        }
        for (DayOfWeek d : DayOfWeek.values()) {
            byDay.putIfAbsent(d, fallback == null ? List.of() : fallback);
        }
        if (byDay.values().stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException(where + ": hours never open");
        }
        return Map.copyOf(byDay);
    }

    private static List<Rule.Window> windows(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + " must be a list of \"HH:mm-HH:mm\" ([] for closed)");
        }
        List<Rule.Window> out = new ArrayList<>();
        LocalTime lastEnd = null;
        for (JsonNode w : node) {
            Matcher m = WINDOW.matcher(w.asText());
            if (!m.matches()) {
                throw new IllegalArgumentException(where + ": '" + w.asText() + "' is not HH:mm-HH:mm");
            }
            LocalTime s;
            LocalTime e;
            try {
                s = LocalTime.parse(m.group(1));
                e = LocalTime.parse(m.group(2));
            } catch (DateTimeParseException bad) {
                throw new IllegalArgumentException(where + ": '" + w.asText() + "' is not a time of day");
            }
            if (!s.isBefore(e)) {
                throw new IllegalArgumentException(where + ": '" + w.asText() + "' ends before it starts");
            }
            if (lastEnd != null && s.isBefore(lastEnd)) {
                throw new IllegalArgumentException(where + ": '" + w.asText() + "' overlaps or precedes the window before it");
            }
            lastEnd = e;
            out.add(new Rule.Window(s, e));
        }
        return List.copyOf(out);
    }

    private static Rule.HolidayCalendar holidays(JsonNode node, String where) {
        String calendar = text(node, "calendar", where + ": holidays");
        String region = node.hasNonNull("region") ? node.get("region").asText() : null;
        try {
            var manager = Holidays.manager(calendar);
            if (region != null && !manager.getCalendarHierarchy().getChildren().containsKey(region)) {
                throw new IllegalArgumentException("Jollyday's '" + calendar + "' calendar has no region '" + region + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": holidays: " + e.getMessage(), e);
        }
        return new Rule.HolidayCalendar(calendar, region);
    }

    private static Rule.Cap cap(JsonNode node, String where) {
        int count = node.path("count").asInt(0);
        if (count < 1) {
            throw new IllegalArgumentException(where + ": cap.count must be a whole number of at least 1");
        }
        String window = text(node, "window", where + ": cap");
        String per = text(node, "per", where + ": cap");
        if (!per.equals("sender") && !per.equals("overall")) {
            throw new IllegalArgumentException(where + ": cap.per '" + per + "' is not sender or overall");
        }
        Rule.Cap cap = new Rule.Cap(count, window, per.equals("sender"));
        try {
            if (cap.duration().isZero() || cap.duration().isNegative()) {
                throw new DateTimeParseException("not positive", window, 0);
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": cap.window '" + window + "' is not a positive ISO-8601 duration (PT24H, P30D)");
        }
        return cap;
    }

    private static JsonNode require(JsonNode row, String field, String where) {
        JsonNode n = row.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException(where + ": a " + row.path("kind").asText() + " rule needs `" + field + "`");
        }
        return n;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode n = node == null ? null : node.get(field);
        if (n == null || n.isNull() || !n.isValueNode() || n.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": `" + field + "` is missing or empty");
        }
        return n.asText();
    }

    private static LocalDate date(JsonNode node, String field, String where) {
        String s = text(node, field, where + ": effective");
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": effective." + field + " '" + s + "' is not a date (YYYY-MM-DD)");
        }
    }

    /** Rules of a kind for a category that cover any of {@code candidates} and are in force on {@code day}. */
    public List<Rule> applicable(Rule.Kind kind, String category, List<String> candidates, LocalDate day) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules) {
            if (r.kind() == kind && r.binds(category) && r.inForceOn(day) && candidates.stream().anyMatch(r::coversCandidate)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * What a STOP revokes for these candidates on {@code day}: {@code topic} (that topic's
     * consent) or {@code all}; where no rule says, {@code all}, the safer reading.
     */
    public String revocationScope(List<String> candidates, LocalDate day) {
        return applicable(Rule.Kind.REVOCATION, "marketing", candidates, day).stream()
                .map(r -> r.revocationScope().orElseThrow()).reduce((a, b) -> a.equals("all") || b.equals("all") ? "all" : a)
                .orElse("all");
    }

    /** The caps binding marketing to these candidates on {@code day} (Florida: 3 per 24 hours per sender). */
    public List<Rule> caps(List<String> candidates, LocalDate day) {
        return applicable(Rule.Kind.CAP, "marketing", candidates, day);
    }
}
