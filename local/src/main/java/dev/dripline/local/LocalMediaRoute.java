package dev.dripline.local;

import dev.dripline.Dripline;
import dev.dripline.media.LocalMediaStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;

/**
 * {@code GET /media/{id}?expires=&signature=}: the local counterpart of an S3 presigned URL, what
 * a provider (here the simulated carrier) fetches outbound media from. Anything but a valid,
 * unexpired signature is 403 (as S3 refuses a bad presigned URL); no API key, as a provider has none.
 * Inbound pictures are served the same way. Never sniffed and sandboxed, so a stored file is never
 * run as a page of this origin.
 */
@Controller("/media")
public class LocalMediaRoute {

    private final Dripline dripline;

    public LocalMediaRoute(Dripline dripline) {
        this.dripline = dripline;
    }

    @Get(value = "/{id}", produces = MediaType.ALL)
    public HttpResponse<?> fetch(String id, @Nullable @QueryValue String expires, @Nullable @QueryValue String signature) {
        long until;
        try {
            until = expires == null ? -1 : Long.parseLong(expires);
        } catch (NumberFormatException e) {
            until = -1;
        }
        if (!(dripline.media() instanceof LocalMediaStore store) || until < 0 || !store.verifies(id, until, signature)) {
            return forbidden();
        }
        return store.find(id).flatMap(m -> store.bytes(id).map(bytes -> HttpResponse.ok(bytes).contentType(m.contentType())
                        .header("Cache-Control", "private, max-age=60").header("X-Content-Type-Options", "nosniff")
                        .header("Content-Disposition", "inline; filename=\"" + id + "\"")
                        .header("Content-Security-Policy", "default-src 'none'; sandbox")))
                .<HttpResponse<?>>map(r -> r).orElseGet(LocalMediaRoute::forbidden);
    }

    private static HttpResponse<?> forbidden() {
        return HttpResponse.status(HttpStatus.FORBIDDEN).contentType(dev.dripline.http.Problems.CONTENT_TYPE)
                .body(dev.dripline.http.Problems.of(HttpStatus.FORBIDDEN, "this media URL is not signed, or has expired"));
    }
}
