package dev.dripline.http;

import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.errors.Refused;
import io.micronaut.context.annotation.Requires;
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

/** The core's errors as HTTP answers: invalid input 422, missing 404, conflicting state 409. */
final class CoreErrors {

    private CoreErrors() {
    }

    static HttpResponse<?> respond(ErrorResponseProcessor<?> processor, HttpRequest<?> request, Throwable cause,
                                   HttpStatus status, ErrorContext.Builder errors) {
        return processor.processResponse(errors.cause(cause).build(), HttpResponse.status(status));
    }

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

    @Produces
    @Singleton
    @Requires(classes = InvalidInput.class)
    static final class InvalidInputHandler implements ExceptionHandler<InvalidInput, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> processor;

        InvalidInputHandler(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, InvalidInput e) {
            ErrorContext.Builder builder = ErrorContext.builder(request);
            e.errors().forEach(f -> builder.error(new FieldProblem(f)));
            return respond(processor, request, e, HttpStatus.UNPROCESSABLE_ENTITY, builder);
        }
    }

    @Produces
    @Singleton
    @Requires(classes = NotFound.class)
    static final class NotFoundHandler implements ExceptionHandler<NotFound, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> processor;

        NotFoundHandler(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, NotFound e) {
            return respond(processor, request, e, HttpStatus.NOT_FOUND, ErrorContext.builder(request).errorMessage(e.getMessage()));
        }
    }

    @Produces
    @Singleton
    @Requires(classes = Conflict.class)
    static final class ConflictHandler implements ExceptionHandler<Conflict, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> processor;

        ConflictHandler(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Conflict e) {
            return respond(processor, request, e, HttpStatus.CONFLICT, ErrorContext.builder(request).errorMessage(e.getMessage()));
        }
    }

    @Produces
    @Singleton
    @Requires(classes = Refused.class)
    static final class RefusedHandler implements ExceptionHandler<Refused, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> processor;

        RefusedHandler(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Refused e) {
            return respond(processor, request, e, HttpStatus.FORBIDDEN, ErrorContext.builder(request).errorMessage(e.getMessage()));
        }
    }
}
