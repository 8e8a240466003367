package dev.dripline.http;

import com.fasterxml.jackson.core.JsonProcessingException;
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
        for (Error e : context.getErrors()) {
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
        String detail = malformedJson(context).orElse(status >= 500 ? "an internal error occurred; it has been logged" : String.join("; ", messages));
        problem.put("detail", detail.isEmpty() ? title(status, response.reason()) : detail);
        if (!fields.isEmpty()) {
            problem.put("errors", fields);
        }
        return problem;
    }

    /** Jackson's own words for a body that is not JSON, without Micronaut's conversion wrapper. */
    private static Optional<String> malformedJson(ErrorContext context) {
        Throwable t = context.getRootCause().orElse(null);
        while (t != null) {
            if (t instanceof JsonProcessingException json) {
                String where = json.getLocation() == null ? ""
                        : " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
                return Optional.of("the request body is not valid JSON: " + json.getOriginalMessage() + where);
            }
            t = t.getCause();
        }
        return Optional.empty();
    }

    private static String title(int status, String reason) {
        try {
            return HttpStatus.valueOf(status).getReason();
        } catch (IllegalArgumentException unknown) {
            return reason;
        }
    }
}
