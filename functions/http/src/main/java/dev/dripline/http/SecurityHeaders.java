package dev.dripline.http;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Optional;

/**
 * The browser-facing hardening headers on every answer, errors included: no MIME sniffing, no
 * framing, no referrer, HTTPS only (browsers ignore HSTS over plain HTTP, so the local runtime is
 * unaffected); a Content-Security-Policy on HTML that allows only the page's own resources; and
 * {@code Cache-Control: no-store} on API answers, which carry personal data.
 */
@ServerFilter("/**")
public class SecurityHeaders implements Ordered {

    /** First of all filters: a filter that answers early (401, 413) skips the filters after it. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    static final String HTML_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    @ResponseFilter
    public void secure(HttpRequest<?> request, MutableHttpResponse<?> response) {
        HttpHeaders h = response.getHeaders();
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        if (!h.contains("Referrer-Policy")) {
            // A page with a form says same-origin: with no-referrer, browsers post the form with "Origin: null".
            response.header("Referrer-Policy", "no-referrer");
        }
        response.header("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
        Optional<MediaType> type = response.getContentType();
        boolean html = type.isPresent() && type.get().getName().equals(MediaType.TEXT_HTML);
        if (!h.contains("Content-Security-Policy")) {
            response.header("Content-Security-Policy", html ? HTML_POLICY : API_POLICY);
        }
        if (!h.contains(HttpHeaders.CACHE_CONTROL) && (request.getPath().startsWith("/v1/") || request.getPath().equals("/v1"))) {
            response.header(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
