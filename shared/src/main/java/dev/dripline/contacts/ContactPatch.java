package dev.dripline.contacts;

import dev.dripline.consent.ConsentStatus;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code PATCH /v1/contacts/{id}}: only the fields present change. A name, e-mail or time zone
 * sent as {@code null} is removed (a removed time zone falls back to the number's). Attributes
 * merge by name, {@code null} removing one. Tags are either a full list, which replaces them, or
 * {@code {"add": [...], "remove": [...]}}. A new {@code phone} (with {@code country} for
 * national input) moves the contact to that number. {@code consent} changes it with a ledger entry.
 */
public final class ContactPatch {

    private static final Set<String> READ_ONLY = Set.of("id", "numberType", "timeZones", "createdAt", "updatedAt", "version");
    private static final Set<String> FIELDS = Set.of("phone", "country", "firstName", "lastName", "email", "timeZone",
            "attributes", "tags", "consent");

    private final Map<String, Object> present;
    private final PhoneNumber phone;
    private final Map<String, Object> attributes;
    private final List<String> tags;
    private final List<String> addTags;
    private final List<String> removeTags;
    private final ContactInput.ConsentInput consent;
    private final ConsentStatus consentStatus;

    private ContactPatch(Map<String, Object> present, PhoneNumber phone, Map<String, Object> attributes, List<String> tags,
                         List<String> addTags, List<String> removeTags, ContactInput.ConsentInput consent, ConsentStatus consentStatus) {
        this.present = present;
        this.phone = phone;
        this.attributes = attributes;
        this.tags = tags;
        this.addTags = addTags;
        this.removeTags = removeTags;
        this.consent = consent;
        this.consentStatus = consentStatus;
    }

    /** Parses a JSON object (as a map, nulls kept); every bad field is named. */
    @SuppressWarnings("unchecked")
    public static ContactPatch parse(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || body.isEmpty()) {
            throw InvalidInput.of("body", "names no field to change");
        }
        Map<String, Object> present = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : body.entrySet()) {
            String name = e.getKey();
            if (READ_ONLY.contains(name)) {
                errors.add(new FieldError(name, "is read-only"));
            } else if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a field of a contact"));
            } else {
                present.put(name, e.getValue());
            }
        }
        for (String name : List.of("firstName", "lastName", "email", "timeZone", "country")) {
            Object v = present.get(name);
            if (v != null && !(v instanceof String)) {
                errors.add(new FieldError(name, "must be a string or null"));
            } else if (v instanceof String s && s.length() > 256) {
                errors.add(new FieldError(name, "has " + s.length() + " characters; at most 256"));
            }
        }
        if (present.get("email") instanceof String email) {
            ContactRules.checkEmail(email, errors);
        }
        if (present.get("timeZone") instanceof String zone) {
            ContactRules.checkTimeZone(zone, errors);
        }
        PhoneNumber phone = null;
        if (present.containsKey("phone")) {
            Object v = present.get("phone");
            if (!(v instanceof String p)) {
                errors.add(new FieldError("phone", "cannot be removed; send a new number to move the contact"));
            } else {
                try {
                    phone = PhoneNumber.parse(p, present.get("country") instanceof String c ? c : null, "phone");
                } catch (InvalidInput bad) {
                    errors.addAll(bad.errors());
                }
            }
        } else if (present.containsKey("country")) {
            errors.add(new FieldError("country", "is set from the number: send it with a national phone"));
        }
        Map<String, Object> attributes = null;
        if (present.containsKey("attributes")) {
            if (present.get("attributes") instanceof Map<?, ?> m) {
                attributes = new LinkedHashMap<>((Map<String, Object>) m);
                Attributes.validate(attributes, errors);
            } else {
                errors.add(new FieldError("attributes", "must be an object of name: value (null removes one)"));
            }
        }
        List<String> tags = null;
        List<String> add = List.of();
        List<String> remove = List.of();
        if (present.containsKey("tags")) {
            Object v = present.get("tags");
            if (v instanceof List<?> list) {
                tags = tagList(list, "tags", errors);
            } else if (v instanceof Map<?, ?> m) {
                for (Object key : m.keySet()) {
                    if (!"add".equals(key) && !"remove".equals(key)) {
                        errors.add(new FieldError("tags." + key, "is not add or remove"));
                    }
                }
                add = m.get("add") == null ? List.of() : m.get("add") instanceof List<?> l ? tagList(l, "tags.add", errors) : badList("tags.add", errors);
                remove = m.get("remove") == null ? List.of() : m.get("remove") instanceof List<?> l ? tagList(l, "tags.remove", errors) : badList("tags.remove", errors);
            } else {
                errors.add(new FieldError("tags", "must be a list of tags or {\"add\": [...], \"remove\": [...]}"));
            }
        }
        ContactInput.ConsentInput consent = null;
        ConsentStatus status = null;
        if (present.containsKey("consent")) {
            if (present.get("consent") instanceof Map<?, ?> m) {
                consent = consentInput((Map<String, Object>) m, errors);
                status = consent == null ? null : ConsentStatus.fromWire(consent.status());
                if (consent != null && (status == null || status == ConsentStatus.NONE)) {
                    errors.add(new FieldError("consent.status", "must be opted_in, opted_out or pending"));
                }
                if (status == ConsentStatus.OPTED_IN && (consent.source() == null || consent.source().isBlank())) {
                    errors.add(new FieldError("consent.source", "is required with opted_in: say where consent was captured"));
                }
            } else {
                errors.add(new FieldError("consent", "must be an object {status, source, proof?, capturedAt?, ip?}"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new ContactPatch(present, phone, attributes, tags, add, remove, consent, status);
    }

    private static List<String> badList(String field, List<FieldError> errors) {
        errors.add(new FieldError(field, "must be a list of tags"));
        return List.of();
    }

    private static List<String> tagList(List<?> list, String field, List<FieldError> errors) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object t = list.get(i);
            if (t instanceof String s) {
                ContactRules.checkTag(s, field + "[" + i + "]", errors);
                out.add(s.trim());
            } else {
                errors.add(new FieldError(field + "[" + i + "]", "must be a string"));
            }
        }
        if (out.size() > ContactRules.MAX_TAGS) {
            errors.add(new FieldError(field, "at most " + ContactRules.MAX_TAGS + " tags"));
        }
        return out;
    }

    private static ContactInput.ConsentInput consentInput(Map<String, Object> m, List<FieldError> errors) {
        for (String k : m.keySet()) {
            if (!Set.of("status", "source", "proof", "capturedAt", "ip", "userAgent").contains(k)) {
                errors.add(new FieldError("consent." + k, "is not a field of consent"));
            }
        }
        Instant capturedAt = null;
        if (m.get("capturedAt") != null) {
            try {
                capturedAt = Instant.parse(String.valueOf(m.get("capturedAt")));
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("consent.capturedAt", "must be an ISO-8601 UTC time such as 2026-11-21T14:00:00Z"));
            }
        }
        return new ContactInput.ConsentInput(str(m.get("status")), str(m.get("source")), capturedAt, str(m.get("proof")),
                str(m.get("ip")), str(m.get("userAgent")));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    PhoneNumber phone() {
        return phone;
    }

    boolean setsTimeZone() {
        return present.containsKey("timeZone");
    }

    ContactInput.ConsentInput consent() {
        return consent;
    }

    ConsentStatus consentStatus() {
        return consentStatus;
    }

    /** Applies everything but the phone and consent (which need the store) to a copy of the stored item. */
    void applyTo(ContactStore.ContactItem item) {
        if (present.containsKey("firstName")) {
            item.firstName = trimmed(present.get("firstName"));
        }
        if (present.containsKey("lastName")) {
            item.lastName = trimmed(present.get("lastName"));
        }
        if (present.containsKey("email")) {
            item.email = trimmed(present.get("email"));
        }
        if (present.containsKey("timeZone")) {
            String zone = trimmed(present.get("timeZone"));
            if (zone == null) {
                PhoneNumber number = phone != null ? phone : PhoneNumber.parse(item.phone, null, "phone");
                item.timeZones = number.timeZones();
                item.timeZone = number.timeZones().isEmpty() ? null : number.timeZones().get(0);
            } else {
                item.timeZone = zone;
                item.timeZones = List.of(zone);
            }
        }
        if (attributes != null) {
            item.attributes = ContactRules.mergeAttributes(item.attributes, attributes);
        }
        if (tags != null || !addTags.isEmpty() || !removeTags.isEmpty()) {
            LinkedHashSet<String> next = new LinkedHashSet<>(tags != null ? tags : item.tags == null ? List.of() : item.tags);
            next.addAll(addTags);
            removeTags.forEach(next::remove);
            if (next.size() > ContactRules.MAX_TAGS) {
                throw InvalidInput.of("tags", "the contact would have " + next.size() + " tags; at most " + ContactRules.MAX_TAGS);
            }
            item.tags = new ArrayList<>(next);
        }
    }

    private static String trimmed(Object v) {
        if (v == null) {
            return null;
        }
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }
}
