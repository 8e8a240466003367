package dev.dripline.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every error body, the framework's own (bad JSON, unknown route, wrong method) and the core's,
 * as RFC 9457 problem+json: {@code {type, title, status, detail, errors: [{field, message}]}}.
 * No stack trace, class name or internal detail reaches a caller.
 */
@Singleton
public class Problems implements JsonErrorResponseBodyProvider<Map<String, Object>> {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** A problem with no field errors, for answers built outside the error processor (filters). */
    public static Map<String, Object> of(HttpStatus status, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReason());
        problem.put("status", status.getCode());
        problem.put("detail", detail);
        return problem;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public Map<String, Object> body(ErrorContext context, HttpResponse<?> response) {
        int status = response.code();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title(status, response.reason()));
        problem.put("status", status);
        List<Map<String, String>> fields = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        Optional<String> badJson = malformedJson(context);
        // A body Jackson could not read: Micronaut's own conversion errors quote Jackson, class names and all.
        for (Error e : badJson.isPresent() ? List.<Error>of() : context.getErrors()) {
            Optional<String> path = e.getPath();
            if (path.isPresent()) {
                Map<String, String> field = new LinkedHashMap<>();
                field.put("field", path.get());
                field.put("message", e.getMessage());
                fields.add(field);
                messages.add(path.get() + " " + e.getMessage());
            } else {
                messages.add(e.getMessage());
            }
        }
        badJson.flatMap(d -> wrongShapeField(context)).ifPresent(field -> fields.add(Map.of("field", field.getKey(), "message", field.getValue())));
        // A 5xx hides its cause, unless the core raised it on purpose (503: what to configure).
        boolean deliberate = context.getRootCause().filter(dev.dripline.errors.DriplineError.class::isInstance).isPresent();
        String detail = badJson.orElse(status >= 500 && !deliberate ? "an internal error occurred; it has been logged"
                : String.join("; ", messages));
        problem.put("detail", detail.isEmpty() ? title(status, response.reason()) : detail);
        if (!fields.isEmpty()) {
            problem.put("errors", fields);
        }
        return problem;
    }

    /**
     * Jackson's own words for a body that is not JSON, without Micronaut's conversion wrapper; for
     * JSON of the wrong shape, the field and the kind of value it takes, never Jackson's message
     * (which names our classes).
     */
    private static Optional<String> malformedJson(ErrorContext context) {
        Throwable t = context.getRootCause().orElse(null);
        while (t != null) {
            if (t instanceof JsonMappingException mapping) {
                String field = path(mapping);
                Class<?> target = mapping instanceof MismatchedInputException m ? m.getTargetType() : null;
                String where = mapping.getLocation() == null ? ""
                        : " (line " + mapping.getLocation().getLineNr() + ", column " + mapping.getLocation().getColumnNr() + ")";
                return Optional.of("the request body does not fit this route: " + (field.isEmpty() ? "the body" : field)
                        + " must be " + kind(target) + where);
            }
            if (t instanceof JsonProcessingException json) {
                String where = json.getLocation() == null ? ""
                        : " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
                return Optional.of("the request body is not valid JSON: " + json.getOriginalMessage() + where);
            }
            t = t.getCause();
        }
        return Optional.empty();
    }

    /** For a body of the wrong shape, the offending field and what it must be. */
    private static Optional<Map.Entry<String, String>> wrongShapeField(ErrorContext context) {
        Throwable t = context.getRootCause().orElse(null);
        while (t != null) {
            if (t instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                Class<?> target = mapping instanceof MismatchedInputException m ? m.getTargetType() : null;
                return Optional.of(Map.entry(path(mapping), "must be " + kind(target)));
            }
            t = t.getCause();
        }
        return Optional.empty();
    }

    private static String path(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce("", (a, b) -> a.isEmpty() || b.startsWith("[") ? a + b : a + "." + b);
    }

    /** The kind of JSON value a Java type is read from, in the caller's terms. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 time such as 2026-11-21T14:00:00Z";
        }
        if (java.time.temporal.TemporalAmount.class.isAssignableFrom(type)) {
            return "an ISO-8601 duration such as PT1H";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != char.class)) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    private static String title(int status, String reason) {
        try {
            return HttpStatus.valueOf(status).getReason();
        } catch (IllegalArgumentException unknown) {
            return reason;
        }
    }
}
