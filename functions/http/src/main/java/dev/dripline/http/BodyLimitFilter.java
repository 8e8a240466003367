package dev.dripline.http;

import dev.dripline.Dripline;
import dev.dripline.Settings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Bodies larger than their route allows are refused with 413 from their Content-Length, before
 * they are read: {@code /v1/imports} takes DRIPLINE_IMPORT_MAX_BYTES (default 50 MB), every other
 * route DRIPLINE_REQUEST_MAX_BYTES (default 64 KB). A body without a length (chunked) is held to
 * the server's max-request-size, which the local runtime sets to the import limit. On AWS, API
 * Gateway refuses anything above 10 MB first. It covers every route of both HTTP functions
 * (webhooks, short links and the local routes too), not only {@code /v1}.
 */
@ServerFilter("/**")
public class BodyLimitFilter implements Ordered {

    private final Dripline dripline;

    public BodyLimitFilter(Dripline dripline) {
        this.dripline = dripline;
    }

    @Override
    public int getOrder() {
        // Right after SecurityHeaders, so that a 413 carries the headers too.
        return HIGHEST_PRECEDENCE + 10;
    }

    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> limit(HttpRequest<?> request) {
        long length = request.getContentLength();
        if (length <= 0) {
            return null;
        }
        Settings.AudienceSettings limits = dripline.settings().audience();
        boolean isImport = request.getPath().equals("/v1/imports") || request.getPath().equals("/v1/imports/");
        long max = isImport ? limits.importMaxBytes() : limits.requestMaxBytes();
        if (length <= max) {
            return null;
        }
        return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                .contentType(Problems.CONTENT_TYPE)
                .body(Problems.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                        "the body has " + length + " bytes; this route takes at most " + max));
    }
}
