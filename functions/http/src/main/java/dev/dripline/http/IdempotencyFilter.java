package dev.dripline.http;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dripline.Dripline;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.ProblemType;
import dev.dripline.idempotency.IdempotentRequests;
import dev.dripline.idempotency.IdempotentRequests.Claim;
import dev.dripline.json.Json;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code Idempotency-Key} on every {@code /v1} POST: the first successful answer (status and
 * body) is kept 24 hours ({@link IdempotentRequests}) and a retry with the same key and the same
 * body (compared as JSON: spacing and key order do not matter) gets it again, with
 * {@code Idempotent-Replayed: true}, without the work being done twice. The same key with another
 * body is 422 {@code idempotency-key-reused}; while the first request is still running, 409
 * {@code idempotency-in-progress}. A failed request keeps nothing, so a corrected retry runs.
 * Keys are per API key and route. Runs after the API key check (a refused request claims nothing).
 */
@ServerFilter(value = "/v1/**", methods = HttpMethod.POST)
public class IdempotencyFilter implements Ordered {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    /** Set by the API key check: the id of the key that authenticated the request. */
    public static final String KEY_ID_ATTRIBUTE = "dripline.keyId";
    private static final String CLAIM_ATTRIBUTE = "dripline.idempotencyClaim";

    private final Dripline dripline;

    public IdempotencyFilter(Dripline dripline) {
        this.dripline = dripline;
    }

    @Override
    public int getOrder() {
        // After the API key filter (order 0).
        return 100;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public MutableHttpResponse<?> claim(HttpRequest<?> request, @Nullable @Body byte[] body) {
        String key = request.getHeaders().get(HEADER);
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > 255) {
            return Problems.response(ProblemType.VALIDATION_FAILED, HEADER + " must be 1 to 255 characters",
                    List.of(new FieldError(HEADER, "must be 1 to 255 characters")));
        }
        String caller = request.getAttribute(KEY_ID_ATTRIBUTE, String.class).orElse("anonymous");
        String scope = caller + "\n" + request.getMethodName() + " " + request.getPath();
        String fingerprint = IdempotentRequests.fingerprint(request.getMethodName(), request.getPath(), canonical(request, body));
        Claim claim = dripline.idempotentRequests().claim(scope, key, fingerprint);
        if (claim instanceof Claim.Granted granted) {
            request.setAttribute(CLAIM_ATTRIBUTE, granted.id());
            return null;
        }
        if (claim instanceof Claim.Replay replay) {
            return HttpResponse.status(HttpStatus.valueOf(replay.status())).contentType(replay.contentType())
                    .header(REPLAYED, "true").body(replay.body());
        }
        if (claim instanceof Claim.Mismatch) {
            return Problems.response(ProblemType.IDEMPOTENCY_KEY_REUSED, HEADER + " was used before with a different request",
                    List.of(new FieldError(HEADER, "was used before with a different request")));
        }
        return Problems.response(ProblemType.IDEMPOTENCY_IN_PROGRESS,
                "a request with this " + HEADER + " is still being processed; retry in a few seconds", List.of());
    }

    @ResponseFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public void keep(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = request.getAttribute(CLAIM_ATTRIBUTE, String.class).orElse(null);
        if (id == null) {
            return;
        }
        request.removeAttribute(CLAIM_ATTRIBUTE, String.class);
        IdempotentRequests answers = dripline.idempotentRequests();
        if (response.code() < 200 || response.code() >= 300) {
            answers.release(id);
            return;
        }
        String type = response.getContentType().map(MediaType::toString).orElse(MediaType.APPLICATION_JSON);
        answers.complete(id, response.code(), type, bytes(response.getBody().orElse(null)));
    }

    private static byte[] bytes(@Nullable Object body) {
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] raw) {
            return raw;
        }
        if (body instanceof CharSequence text) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("an answer that was just written as JSON cannot be written again", e);
        }
    }

    /** The body as sorted JSON when it is JSON, so that a retry serialised differently is the same request. */
    private static byte[] canonical(HttpRequest<?> request, @Nullable byte[] body) {
        if (body == null) {
            return new byte[0];
        }
        boolean json = request.getContentType().map(t -> t.getExtension().equals("json") || t.getSubtype().endsWith("json")).orElse(false);
        if (!json) {
            return body;
        }
        try {
            Object tree = Json.mapper().readValue(body, Object.class);
            return Json.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsBytes(tree);
        } catch (IOException notJson) {
            return body;
        }
    }
}
