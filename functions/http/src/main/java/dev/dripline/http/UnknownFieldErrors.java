package dev.dripline.http;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.codec.CodecException;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * A body that names a field its route does not know is invalid input (422, {@code unknown-field},
 * rendered by {@link Problems} with the nearest known field), not a malformed request: the JSON
 * parsed. Every other conversion error keeps Micronaut's answer (400). The Netty server reports it
 * wrapped in a conversion error, the Lambda proxy in a codec error ({@link InCodecError}).
 */
@Produces
@Singleton
@Replaces(ConversionErrorHandler.class)
public class UnknownFieldErrors extends ConversionErrorHandler {

    private final ErrorResponseProcessor<?> processor;

    public UnknownFieldErrors(ErrorResponseProcessor<?> processor) {
        super(processor);
        this.processor = processor;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ConversionErrorException exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof UnrecognizedPropertyException) {
                return processor.processResponse(ErrorContext.builder(request).cause(exception).build(),
                        HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY));
            }
        }
        return super.handle(request, exception);
    }

    /** The same refusal when the body reader's exception arrives as a codec error (the Lambda proxy); other codec errors are 400. */
    @Produces
    @Singleton
    public static class InCodecError implements ExceptionHandler<CodecException, HttpResponse<?>> {

        private final ErrorResponseProcessor<?> processor;

        public InCodecError(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, CodecException exception) {
            boolean unknown = false;
            for (Throwable t = exception; t != null; t = t.getCause()) {
                unknown |= t instanceof UnrecognizedPropertyException;
            }
            return processor.processResponse(ErrorContext.builder(request).cause(exception).errorMessage("the request body could not be read").build(),
                    HttpResponse.status(unknown ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.BAD_REQUEST));
        }
    }
}
