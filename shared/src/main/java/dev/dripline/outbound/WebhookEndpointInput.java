package dev.dripline.outbound;

import static dev.dripline.outbound.WebhookEndpoints.ALL;
import static dev.dripline.outbound.WebhookEndpoints.EVENT_TYPES;

import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A webhook endpoint's create or change request, checked field by field; unknown fields are refused by name. */
final class WebhookEndpointInput {

    private static final Set<String> FIELDS = Set.of("url", "eventTypes", "description", "enabled");

    URI url;
    List<String> eventTypes;
    String description;
    boolean descriptionGiven;
    Boolean enabled;

    static WebhookEndpointInput read(Map<String, Object> body, boolean whole, WebhookAddress policy, WebhookAddress.Resolver resolver) {
        WebhookEndpointInput in = new WebhookEndpointInput();
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> b = body == null ? Map.of() : body;
        for (String key : b.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a field of a webhook endpoint (url, eventTypes, description, enabled)"));
            }
        }
        Object url = b.get("url");
        if (url == null) {
            if (whole) {
                errors.add(new FieldError("url", "is required"));
            }
        } else if (!(url instanceof String text) || text.isBlank() || text.length() > 2048) {
            errors.add(new FieldError("url", "must be a URL of at most 2048 characters"));
        } else {
            try {
                URI uri = new URI(text.trim());
                Optional<String> refusal = policy.refusal(uri, resolver);
                if (refusal.isPresent()) {
                    errors.add(new FieldError("url", refusal.get()));
                } else {
                    in.url = uri;
                }
            } catch (URISyntaxException e) {
                errors.add(new FieldError("url", "is not a URL: " + e.getReason()));
            }
        }
        Object types = b.get("eventTypes");
        if (types == null) {
            if (whole) {
                errors.add(new FieldError("eventTypes", "is required: one or more of " + String.join(", ", EVENT_TYPES) + ", or *"));
            }
        } else if (!(types instanceof List<?> list) || list.isEmpty()) {
            errors.add(new FieldError("eventTypes", "must be a non-empty list of " + String.join(", ", EVENT_TYPES) + " or *"));
        } else {
            LinkedHashSet<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Object t = list.get(i);
                if (!(t instanceof String type) || !(EVENT_TYPES.contains(type) || ALL.equals(type))) {
                    errors.add(new FieldError("eventTypes[" + i + "]", "'" + t + "' is not an event type: " + String.join(", ", EVENT_TYPES)
                            + ", or * for every event"));
                } else {
                    seen.add(type);
                }
            }
            in.eventTypes = List.copyOf(seen);
        }
        if (b.containsKey("description")) {
            in.descriptionGiven = true;
            Object d = b.get("description");
            if (d != null && (!(d instanceof String text) || text.length() > 256)) {
                errors.add(new FieldError("description", "must be text of at most 256 characters"));
            } else {
                in.description = d == null || ((String) d).isBlank() ? null : ((String) d).trim();
            }
        }
        if (b.containsKey("enabled")) {
            if (!(b.get("enabled") instanceof Boolean on)) {
                errors.add(new FieldError("enabled", "must be true or false"));
            } else {
                in.enabled = on;
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return in;
    }
}
