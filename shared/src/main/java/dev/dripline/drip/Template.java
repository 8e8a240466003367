package dev.dripline.drip;

import dev.dripline.contacts.Contact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message body with placeholders: {@code {{firstName|there}}} (a contact field with its
 * fallback), {@code {{event.cartUrl}}} (a property of the event that started the enrolment),
 * {@code {{attributes.tier}}} (a custom attribute) and {@code {{brand}}}. A value that is
 * missing or blank takes the fallback, else renders as nothing.
 */
public record Template(String text) {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}|]*?)\\s*(?:\\|([^}]*))?}}");
    static final Set<String> CONTACT_FIELDS = Set.of("firstName", "lastName", "email", "phone", "country", "timeZone", "brand");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    /** Every placeholder that names nothing a contact or an event can have; empty when all are known. */
    public List<String> unknownVariables() {
        List<String> unknown = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (!known(name)) {
                unknown.add(name);
            }
        }
        int open = text.split("\\{\\{", -1).length - 1;
        int matched = (int) PLACEHOLDER.matcher(text).results().count();
        if (open > matched) {
            unknown.add("{{ without a matching }}");
        }
        return unknown;
    }

    private static boolean known(String name) {
        if (CONTACT_FIELDS.contains(name)) {
            return true;
        }
        for (String prefix : List.of("event.", "attributes.")) {
            if (name.startsWith(prefix)) {
                String rest = name.substring(prefix.length());
                return NAME.matcher(rest).matches();
            }
        }
        return false;
    }

    /** The body for one contact and the properties of the event that enrolled it. */
    public String render(Contact contact, Map<String, Object> event, String brand) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = value(m.group(1), contact, event == null ? Map.of() : event, brand);
            if (value == null || value.isBlank()) {
                value = m.group(2) == null ? "" : m.group(2).trim();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        // A blank placeholder must not leave a double space or a space before punctuation.
        return out.toString().replaceAll(" {2,}", " ").replaceAll(" ([,.!?])", "$1").trim();
    }

    private static String value(String name, Contact c, Map<String, Object> event, String brand) {
        return switch (name) {
            case "firstName" -> c.firstName();
            case "lastName" -> c.lastName();
            case "email" -> c.email();
            case "phone" -> c.phone();
            case "country" -> c.country();
            case "timeZone" -> c.timeZone();
            case "brand" -> brand;
            default -> {
                Object v = name.startsWith("event.") ? event.get(name.substring(6))
                        : c.attributes() == null ? null : c.attributes().get(name.substring("attributes.".length()));
                yield v == null ? null : String.valueOf(v);
            }
        };
    }
}
