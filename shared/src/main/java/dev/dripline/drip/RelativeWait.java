package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.config.Env;
import dev.dripline.contacts.Contact;
import dev.dripline.errors.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A wait relative to a date the run knows: {@code {"relativeTo": "event.appointmentAt",
 * "offset": "-P1D", "at": "09:00", "ifPast": "skip"}} is due one day before the time in the
 * enrolling event's {@code appointmentAt}, at 09:00 in the contact's zone on that day. The date
 * is read when the run reaches the step (and again when a keyed run is rescheduled), from the
 * event's properties or the contact's {@code attributes}: an ISO-8601 date-time with {@code Z}
 * or an offset, or a plain date taken at the start of that day in the contact's zone.
 *
 * @param source   where the date is: the enrolling event, or the contact's attributes
 * @param property its name there
 * @param offset   added to the date (negative: before it); whole days are calendar days in the
 *                 contact's zone, so "-P1D" from 14:30 is 14:30 the day before even across a
 *                 daylight-saving change, and the rest is exact time
 * @param at       the local time on the day the offset lands on; null: exactly the offset
 * @param ifPastNow what a due time already past when the run reaches the step does: act at once
 *                 (true, {@code "ifPast": "now"}), or skip the step (false, the default)
 */
public record RelativeWait(Source source, String property, Duration offset, LocalTime at, boolean ifPastNow) {

    public enum Source {
        EVENT("event"), ATTRIBUTES("attributes");

        private final String prefix;

        Source(String prefix) {
            this.prefix = prefix;
        }
    }

    private static final Set<String> FIELDS = Set.of("relativeTo", "offset", "at", "ifPast");
    private static final Pattern RELATIVE_TO = Pattern.compile("(event|attributes)\\.([A-Za-z0-9_-]{1,100})");
    private static final Duration LONGEST = Duration.ofDays(3660);

    /** {@code event.appointmentAt}, as written. */
    public String relativeTo() {
        return source.prefix + "." + property;
    }

    /**
     * When the step falls due for this contact and run: empty when the date is missing or is not
     * a date-time with a zone or offset, nor a plain date.
     */
    public Optional<Instant> dueAt(Contact contact, Map<String, Object> event) {
        Object value = source == Source.EVENT ? (event == null ? null : event.get(property))
                : (contact.attributes() == null ? null : contact.attributes().get(property));
        ZoneId zone = ContactZone.of(contact);
        return read(value, zone).map(base -> {
            long days = offset.toDays();
            ZonedDateTime moved = base.plusDays(days).plus(offset.minusDays(days));
            // atZone moves a local time inside a DST gap forward, never back.
            return at == null ? moved.toInstant() : moved.toLocalDate().atTime(at).atZone(zone).toInstant();
        });
    }

    /** A date-time with Z or an offset, or a plain date at the start of that day, in {@code zone}. */
    static Optional<ZonedDateTime> read(Object value, ZoneId zone) {
        if (!(value instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        String text = s.strip();
        try {
            if (text.length() == 10) {
                return Optional.of(LocalDate.parse(text).atStartOfDay(zone));
            }
            return Optional.of(OffsetDateTime.parse(text).atZoneSameInstant(zone));
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    /** Reads the wait object at {@code at} ({@code steps[0].wait}), naming each problem; null when there were any. */
    static RelativeWait parse(JsonNode w, String at, List<FieldError> errors) {
        int before = errors.size();
        w.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(at + "." + f, "is not a field of a relative wait (known: " + String.join(", ", new TreeSet<>(FIELDS)) + ")"));
            }
        });
        JsonNode to = w.get("relativeTo");
        java.util.regex.Matcher m = to != null && to.isTextual() ? RELATIVE_TO.matcher(to.asText()) : null;
        if (m == null || !m.matches()) {
            errors.add(new FieldError(at + ".relativeTo", "must be event.<property> or attributes.<name> (letters, digits, - or _), "
                    + "holding an ISO-8601 date-time with Z or an offset, or a date"));
        }
        Duration offset = Duration.ZERO;
        JsonNode o = w.get("offset");
        if (o != null && !o.isNull()) {
            offset = offset(o, at + ".offset", errors);
        }
        LocalTime time = null;
        JsonNode t = w.get("at");
        if (t != null && !t.isNull()) {
            try {
                time = t.isTextual() ? LocalTime.parse(t.asText()) : null;
            } catch (DateTimeParseException e) {
                time = null;
            }
            if (time == null) {
                errors.add(new FieldError(at + ".at", "'" + t.asText() + "' is not a local time HH:MM"));
            }
        }
        boolean now = false;
        JsonNode p = w.get("ifPast");
        if (p != null && !p.isNull()) {
            if (p.isTextual() && p.asText().equals("now")) {
                now = true;
            } else if (!p.isTextual() || !p.asText().equals("skip")) {
                errors.add(new FieldError(at + ".ifPast", "must be skip (the default) or now"));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new RelativeWait(m.group(1).equals("event") ? Source.EVENT : Source.ATTRIBUTES, m.group(2), offset, time, now);
    }

    /** A signed duration: an optional - or +, then a duration by the one rule ({@link Env#parseDuration}). */
    private static Duration offset(JsonNode o, String field, List<FieldError> errors) {
        String text = o.isTextual() ? o.asText().strip() : "";
        boolean negative = text.startsWith("-");
        String unsigned = negative || text.startsWith("+") ? text.substring(1) : text;
        try {
            Duration d = Env.parseDuration(unsigned);
            if (d.compareTo(LONGEST) > 0) {
                errors.add(new FieldError(field, "is longer than ten years"));
                return Duration.ZERO;
            }
            return negative ? d.negated() : d;
        } catch (RuntimeException e) { // DateTimeParseException, and number overflows in a huge count
            errors.add(new FieldError(field, "'" + o.asText() + "' is not a signed ISO-8601 duration (-P1D is a day before): "
                    + Env.DURATION_RULE));
            return Duration.ZERO;
        }
    }
}
