package dev.dripline.contacts;

import dev.dripline.consent.ConsentStatus;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What a contact input must be (each bad field named), and how a valid one applies to a stored contact. */
final class ContactRules {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");
    static final int MAX_TAGS = 50;

    private ContactRules() {
    }

    static void apply(ContactStore.ContactItem item, Valid valid, Instant now) {
        ContactInput in = valid.input();
        if (in.firstName() != null) {
            item.firstName = in.firstName().trim();
        }
        if (in.lastName() != null) {
            item.lastName = in.lastName().trim();
        }
        if (in.email() != null) {
            item.email = in.email().trim();
        }
        if (in.timeZone() != null) {
            item.timeZone = in.timeZone();
            item.timeZones = List.of(in.timeZone());
        } else if (item.timeZone == null) {
            item.timeZones = valid.phone().timeZones();
            item.timeZone = valid.phone().timeZones().isEmpty() ? null : valid.phone().timeZones().get(0);
        }
        if (in.attributes() != null) {
            item.attributes = mergeAttributes(item.attributes, in.attributes());
        }
        if (in.tags() != null) {
            LinkedHashSet<String> tags = new LinkedHashSet<>(item.tags == null ? List.of() : item.tags);
            in.tags().forEach(t -> tags.add(t.trim()));
            item.tags = new ArrayList<>(tags);
        }
        item.updatedAt = now;
    }

    /** Attributes merged by name; a null value removes the attribute. */
    static Map<String, Object> mergeAttributes(Map<String, Object> stored, Map<String, Object> changes) {
        Map<String, Object> merged = stored == null ? new LinkedHashMap<>() : new LinkedHashMap<>(stored);
        changes.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        return merged;
    }

    record Valid(ContactInput input, PhoneNumber phone, ConsentStatus consent) {
    }

    static Valid validate(ContactInput in) {
        List<FieldError> errors = new ArrayList<>();
        Valid valid = validate(in, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return valid;
    }

    /** Validates into {@code errors}; the result is usable only if none were added. */
    static Valid validate(ContactInput in, List<FieldError> errors) {
        PhoneNumber phone = null;
        try {
            phone = PhoneNumber.parse(in.phone(), in.country(), "phone");
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        checkLength("firstName", in.firstName(), MAX_TEXT, errors);
        checkLength("lastName", in.lastName(), MAX_TEXT, errors);
        checkLength("email", in.email(), MAX_TEXT, errors);
        checkEmail(in.email(), errors);
        checkTimeZone(in.timeZone(), errors);
        if (in.attributes() != null) {
            Attributes.validate(in.attributes(), errors);
        }
        if (in.tags() != null) {
            if (in.tags().size() > MAX_TAGS) {
                errors.add(new FieldError("tags", "at most " + MAX_TAGS + " tags"));
            }
            for (int i = 0; i < in.tags().size(); i++) {
                checkTag(in.tags().get(i), "tags[" + i + "]", errors);
            }
        }
        ConsentStatus consent = null;
        if (in.consent() != null) {
            consent = ConsentStatus.fromWire(in.consent().status());
            if (consent == null || consent == ConsentStatus.NONE) {
                errors.add(new FieldError("consent.status", "must be opted_in, opted_out or pending"));
            }
            if (consent == ConsentStatus.OPTED_IN && (in.consent().source() == null || in.consent().source().isBlank())) {
                errors.add(new FieldError("consent.source", "is required with opted_in: say where consent was captured"));
            }
            checkLength("consent.source", in.consent().source(), 100, errors);
            checkLength("consent.proof", in.consent().proof(), 2000, errors);
            checkLength("consent.ip", in.consent().ip(), 64, errors);
            checkLength("consent.userAgent", in.consent().userAgent(), 512, errors);
        }
        return new Valid(in, phone, consent);
    }

    /** Names and e-mail addresses: as PATCH /v1/contacts allows. */
    static final int MAX_TEXT = 256;

    /** A text field longer than {@code max} characters is refused by name, before anything is stored. */
    static void checkLength(String field, String value, int max, List<FieldError> errors) {
        if (value != null && value.length() > max) {
            errors.add(new FieldError(field, "has " + value.length() + " characters; at most " + max));
        }
    }

    static void checkEmail(String email, List<FieldError> errors) {
        if (email != null && !email.isBlank() && !EMAIL.matcher(email.trim()).matches()) {
            errors.add(new FieldError("email", "is not an e-mail address"));
        }
    }

    static void checkTimeZone(String timeZone, List<FieldError> errors) {
        if (timeZone == null) {
            return;
        }
        try {
            ZoneId zone = ZoneId.of(timeZone);
            if (!zone.getId().contains("/") && !"UTC".equals(zone.getId())) {
                errors.add(new FieldError("timeZone", "must be an IANA zone name such as America/New_York"));
            }
        } catch (DateTimeException e) {
            errors.add(new FieldError("timeZone", "'" + timeZone + "' is not an IANA zone name"));
        }
    }

    static void checkTag(String tag, String field, List<FieldError> errors) {
        if (tag == null || tag.isBlank() || tag.length() > 64) {
            errors.add(new FieldError(field, "must be 1 to 64 characters"));
        }
    }
}
