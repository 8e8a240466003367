package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A campaign's goals ({@code exitOn}): event names, each ending every run of the contact, or
 * {@code {"event": "appointment_cancelled", "key": "appointmentId"}}, ending only the run of a
 * keyed trigger whose key the event's property names.
 */
final class ExitOn {

    private static final Set<String> FIELDS = Set.of("event", "key");
    private static final Pattern PROPERTY = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private ExitOn() {
    }

    /**
     * The goal events' names, in order; each keyed one's key property goes into {@code keys}.
     * Every problem is added to {@code errors}.
     */
    static List<String> parse(JsonNode n, CampaignDefinition.Trigger trigger, Map<String, String> keys, List<FieldError> errors) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.isTextual()) {
            return n.asText().isBlank() ? List.of() : List.of(n.asText().trim());
        }
        if (!n.isArray()) {
            errors.add(new FieldError("exitOn", "must be a list of event names or {\"event\", \"key\"} objects"));
            return List.of();
        }
        boolean keyedTrigger = trigger instanceof CampaignDefinition.Trigger.OnEvent on && on.keyed();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode entry = n.get(i);
            String at = "exitOn[" + i + "]";
            String name;
            if (entry.isTextual() && !entry.asText().isBlank()) {
                name = entry.asText().trim();
            } else if (entry.isObject()) {
                entry.fieldNames().forEachRemaining(f -> {
                    if (!FIELDS.contains(f)) {
                        errors.add(new FieldError(at + "." + f, "is not a field of a goal (known: event, key)"));
                    }
                });
                JsonNode event = entry.get("event");
                if (event == null || !event.isTextual() || event.asText().isBlank() || event.asText().length() > 100) {
                    errors.add(new FieldError(at + ".event", "is required: an event name of 1-100 characters"));
                    continue;
                }
                name = event.asText().trim();
                String key = keyName(entry, at + ".key", errors);
                if (key != null && !keyedTrigger) {
                    errors.add(new FieldError(at + ".key", "a keyed goal ends one run of a keyed trigger: give the trigger a key too"
                            + " ({\"event\": \"appointment_booked\", \"key\": \"appointmentId\"})"));
                } else if (key != null) {
                    keys.put(name, key);
                }
            } else {
                errors.add(new FieldError(at, "must be an event name or {\"event\": \"appointment_cancelled\", \"key\": \"appointmentId\"}"));
                continue;
            }
            if (!names.contains(name)) {
                names.add(name);
            } else if (entry.isObject() || keys.containsKey(name)) {
                // A plain and a keyed goal on one event contradict each other (end all runs, or one?).
                errors.add(new FieldError(at, "'" + name + "' is a goal already; list each event once"));
            }
        }
        return List.copyOf(names);
    }

    /** An optional {@code key} field: the name of an event property (letters, digits, - or _); null when absent or wrong. */
    static String keyName(JsonNode owner, String field, List<FieldError> errors) {
        JsonNode key = owner.get("key");
        if (key == null || key.isNull()) {
            return null;
        }
        if (!key.isTextual() || !PROPERTY.matcher(key.asText()).matches()) {
            errors.add(new FieldError(field, "must name an event property: 1-100 letters, digits, - or _"));
            return null;
        }
        return key.asText();
    }
}
