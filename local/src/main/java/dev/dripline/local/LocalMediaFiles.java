package dev.dripline.local;

import dev.dripline.Dripline;
import dev.dripline.media.LocalMediaStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;

/**
 * The local runtime's counterpart of S3 presigned URLs: {@code GET /media/{id}?expires&signature}
 * serves what the {@link LocalMediaStore} holds while the URL's signature and expiry hold (404
 * otherwise, as S3 answers a bad presigned URL with nothing to see). Served as an attachment,
 * never sniffed, so a stored file is never run as a page of this origin.
 */
@Controller("/media")
public class LocalMediaFiles {

    private final Dripline dripline;

    public LocalMediaFiles(Dripline dripline) {
        this.dripline = dripline;
    }

    @Get("/{id}")
    public HttpResponse<byte[]> file(String id, @Nullable @QueryValue String expires, @Nullable @QueryValue String signature) {
        if (!(dripline.media() instanceof LocalMediaStore store) || expires == null || !expires.matches("\\d{1,12}")
                || !store.verifies(id, Long.parseLong(expires), signature)) {
            return HttpResponse.notFound();
        }
        return store.find(id).flatMap(found -> store.bytes(id).map(bytes -> HttpResponse.ok(bytes).contentType(found.contentType())
                        .header("X-Content-Type-Options", "nosniff").header("Content-Disposition", "inline; filename=\"" + id + "\"")
                        .header("Content-Security-Policy", "default-src 'none'; sandbox")))
                .orElseGet(HttpResponse::notFound);
    }
}
