package dev.dripline.http;

import dev.dripline.errors.DriplineError;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.RateLimited;
import dev.dripline.logging.OperationalMetrics;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The core's errors as HTTP answers, in one place: invalid input 422 (every field named),
 * missing 404, conflicting state 409, refused sender 403, rate limited 429 (with Retry-After), not configured 503; rendered by {@link Problems}.
 * A provider webhook refused (no valid signature, or the provider's webhooks not configured) is
 * counted as the operational metric {@code WebhookSignatureRefused}, which template.yaml alarms on.
 */
@Produces
@Singleton
public class CoreErrors implements ExceptionHandler<DriplineError, HttpResponse<?>> {

    private final ErrorResponseProcessor<?> processor;

    public CoreErrors(ErrorResponseProcessor<?> processor) {
        this.processor = processor;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, DriplineError error) {
        if (error.kind() == DriplineError.Kind.REFUSED && isWebhook(request)) {
            OperationalMetrics.count(WEBHOOK_REFUSED, 1);
        }
        ErrorContext.Builder context = ErrorContext.builder(request).cause(error);
        if (error instanceof InvalidInput invalid) {
            invalid.errors().forEach(f -> context.error(new FieldProblem(f)));
        } else {
            context.errorMessage(error.getMessage());
        }
        var response = HttpResponse.status(status(error.kind()));
        response.setAttribute(Problems.TYPE_ATTRIBUTE, error.problemType());
        if (error instanceof RateLimited limited) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
        }
        return processor.processResponse(context.build(), response);
    }

    /** The metric a refused provider webhook counts. */
    public static final String WEBHOOK_REFUSED = "WebhookSignatureRefused";

    private static boolean isWebhook(HttpRequest<?> request) {
        String path = request.getPath();
        return path != null && path.startsWith("/webhooks/");
    }

    static HttpStatus status(DriplineError.Kind kind) {
        return switch (kind) {
            case INVALID_INPUT -> HttpStatus.UNPROCESSABLE_ENTITY;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case REFUSED -> HttpStatus.FORBIDDEN;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    /** One field error, as Micronaut's error model carries it to {@link Problems}. */
    record FieldProblem(FieldError error) implements Error {
        @Override
        public String getMessage() {
            return error.message();
        }

        @Override
        public Optional<String> getPath() {
            return Optional.of(error.field());
        }
    }
}
