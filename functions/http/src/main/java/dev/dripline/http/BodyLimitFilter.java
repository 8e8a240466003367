package dev.dripline.http;

import dev.dripline.audience.AudienceSettings;
import dev.dripline.Dripline;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.ByteBody;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Bodies larger than their route allows are refused with 413: {@code /v1/imports} takes
 * DRIPLINE_IMPORT_MAX_BYTES (default 50 MB), {@code /v1/media} the largest media any provider carries (5 MB), every other route DRIPLINE_REQUEST_MAX_BYTES (default
 * 64 KB). A body with a Content-Length is judged from it, before it is read. A body without one
 * (chunked, on the local runtime's Netty server) is counted as it arrives, on a copy, and refused
 * as soon as it passes the limit, before any controller sees it (the server's max-request-size,
 * the import limit, caps what is held meanwhile). On AWS the body arrives whole, and API Gateway
 * refuses anything above 10 MB first. It covers every route of both HTTP functions (webhooks,
 * short links and the local routes too), not only {@code /v1}.
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
    public CompletableFuture<@Nullable MutableHttpResponse<?>> limit(HttpRequest<?> request) {
        AudienceSettings limits = dripline.settings().audience();
        boolean isImport = request.getPath().equals("/v1/imports") || request.getPath().equals("/v1/imports/");
        boolean isMedia = request.getPath().equals("/v1/media") || request.getPath().equals("/v1/media/");
        long max = isImport ? limits.importMaxBytes() : isMedia ? dev.dripline.media.MediaLimits.LARGEST : limits.requestMaxBytes();
        long length = request.getContentLength();
        if (length > max) {
            return CompletableFuture.completedFuture(tooLarge(length + " bytes", max));
        }
        if (length >= 0 || !(request instanceof ServerHttpRequest<?> server) || !framedWithoutLength(request)) {
            return CompletableFuture.completedFuture(null);
        }
        // Chunked: count a copy as it arrives; the original stays for the controller.
        CompletableFuture<@Nullable MutableHttpResponse<?>> verdict = new CompletableFuture<>();
        server.byteBody().split(ByteBody.SplitBackpressureMode.FASTEST).toByteArrayPublisher().subscribe(new Subscriber<byte[]>() {
            private long seen;
            private Subscription subscription;

            @Override
            public void onSubscribe(Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(byte[] chunk) {
                seen += chunk.length;
                if (seen > max && !verdict.isDone()) {
                    subscription.cancel();
                    verdict.complete(tooLarge("more than " + max + " bytes (chunked)", max));
                }
            }

            @Override
            public void onError(Throwable t) {
                // Past the server's own cap, or the client went away: the server answers that itself.
                verdict.complete(seen > max ? tooLarge("more than " + max + " bytes (chunked)", max) : null);
            }

            @Override
            public void onComplete() {
                verdict.complete(null);
            }
        });
        return verdict;
    }

    private static boolean framedWithoutLength(HttpRequest<?> request) {
        String te = request.getHeaders().get("Transfer-Encoding");
        return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    private static MutableHttpResponse<?> tooLarge(String size, long max) {
        return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                .contentType(Problems.CONTENT_TYPE)
                .body(Problems.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "the body has " + size + "; this route takes at most " + max));
    }
}
