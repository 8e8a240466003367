package dev.dripline.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.ProblemType;
import dev.dripline.json.FieldNames;
import io.micronaut.http.MutableHttpResponse;
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
 * as RFC 9457 problem+json: {@code {type, code, title, status, detail, errors: [{field, message}]}}, where
 * {@code type} is a stable URI and {@code code} its last segment ({@link ProblemType}).
 * No stack trace, class name or internal detail reaches a caller.
 */
@Singleton
public class Problems implements JsonErrorResponseBodyProvider<Map<String, Object>> {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** Response attribute: the {@link ProblemType} of an error answer, when it is more specific than its status. */
    public static final String TYPE_ATTRIBUTE = "dripline.problemType";

    /** A problem with no field errors, for answers built outside the error processor (filters). */
    public static Map<String, Object> of(HttpStatus status, String detail) {
        return of(ProblemType.forStatus(status.getCode()), status, detail);
    }

    /** A problem of a given type with no field errors, for answers built outside the error processor. */
    public static Map<String, Object> of(ProblemType type, HttpStatus status, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.uri());
        problem.put("code", type.code());
        problem.put("title", status.getReason());
        problem.put("status", status.getCode());
        problem.put("detail", detail);
        return problem;
    }

    /** An answer of a given type with field errors, built outside the error processor (filters). */
    public static MutableHttpResponse<Map<String, Object>> response(ProblemType type, String detail, List<FieldError> errors) {
        HttpStatus status = HttpStatus.valueOf(type.status());
        Map<String, Object> problem = of(type, status, detail);
        if (!errors.isEmpty()) {
            problem.put("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        }
        return HttpResponse.<Map<String, Object>>status(status).contentType(CONTENT_TYPE).body(problem);
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public Map<String, Object> body(ErrorContext context, HttpResponse<?> response) {
        int status = response.code();
        Optional<UnrecognizedPropertyException> unknown = unknownField(context);
        ProblemType type = unknown.isPresent() ? ProblemType.UNKNOWN_FIELD
                : response.getAttribute(TYPE_ATTRIBUTE, ProblemType.class).orElseGet(() -> ProblemType.forStatus(status));
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.uri());
        problem.put("code", type.code());
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
        if (unknown.isPresent()) {
            Map.Entry<String, String> field = unknownFieldError(unknown.get());
            fields.add(Map.of("field", field.getKey(), "message", field.getValue()));
            badJson = Optional.of("the request body has a field this route does not know: " + field.getKey() + " " + field.getValue());
        } else {
            badJson.flatMap(d -> wrongShapeField(context)).ifPresent(field -> fields.add(Map.of("field", field.getKey(), "message", field.getValue())));
        }
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

    /** The unknown field a body was refused for (see {@code Json.configureForRequests}), if that is why. */
    static Optional<UnrecognizedPropertyException> unknownField(ErrorContext context) {
        Throwable t = context.getRootCause().orElse(null);
        while (t != null) {
            if (t instanceof UnrecognizedPropertyException unknown) {
                return Optional.of(unknown);
            }
            t = t.getCause();
        }
        return Optional.empty();
    }

    /** The unknown field's path, and a message suggesting the known field nearest to it. */
    private static Map.Entry<String, String> unknownFieldError(UnrecognizedPropertyException unknown) {
        String path = path(unknown);
        String name = unknown.getPropertyName();
        if (!path.equals(name) && !path.endsWith("." + name)) {
            path = path.isEmpty() ? name : path + "." + name;
        }
        List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        String message = FieldNames.nearest(name, known).map(n -> "is not a known field; did you mean " + n + "?")
                .orElse(known.isEmpty() ? "is not a known field" : "is not a known field; known fields: " + String.join(", ", known));
        return Map.entry(path, message);
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
