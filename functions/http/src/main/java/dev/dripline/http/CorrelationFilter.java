package dev.dripline.http;

import dev.dripline.logging.Correlation;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.MDC;

/**
 * Gives every request a correlation id, in the logging MDC wherever the request's work runs
 * (through Micronaut's propagated context), on the send requests it queues, and back to the
 * caller as {@code X-Correlation-Id}. Taken from the caller's {@code X-Correlation-Id}, else API
 * Gateway's trace id, else generated.
 */
@ServerFilter("/**")
public class CorrelationFilter {

    static final String HEADER = "X-Correlation-Id";
    private static final String ATTRIBUTE = "dripline.correlationId";

    @RequestFilter
    public void begin(HttpRequest<?> request, MutablePropagatedContext context) {
        String given = request.getHeaders().get(HEADER);
        if (given == null || !given.matches("[A-Za-z0-9._:=;-]{1,128}")) {
            given = request.getHeaders().get("X-Amzn-Trace-Id");
        }
        String id = Correlation.begin(given != null && given.matches("[A-Za-z0-9._:=;-]{1,128}") ? given : null);
        request.setAttribute(ATTRIBUTE, id);
        context.add(new InMdc(id));
    }

    @ResponseFilter
    public void end(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(ATTRIBUTE, String.class).ifPresent(id -> response.header(HEADER, id));
        Correlation.end();
    }

    /** Puts the id in the MDC of whichever thread runs the request, and restores what was there. */
    record InMdc(String id) implements ThreadPropagatedContextElement<String> {
        @Override
        public String updateThreadContext() {
            String before = MDC.get(Correlation.KEY);
            MDC.put(Correlation.KEY, id);
            return before;
        }

        @Override
        public void restoreThreadContext(String before) {
            if (before == null) {
                MDC.remove(Correlation.KEY);
            } else {
                MDC.put(Correlation.KEY, before);
            }
        }
    }
}
