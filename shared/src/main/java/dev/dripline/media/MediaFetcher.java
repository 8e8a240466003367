package dev.dripline.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Fetches one inbound media file from its provider: only from the provider's allowed hosts,
 * with its credentials on the provider's own URL, following at most a few redirects and only to
 * allowed hosts, within a size limit and a time limit. Only media types are kept (an HTML page
 * served back from our own media URLs would be a cross-site scripting hole).
 */
public final class MediaFetcher {

    static final int MAX_REDIRECTS = 5;
    private static final Set<String> OTHER_MEDIA_TYPES = Set.of("application/pdf", "text/vcard", "text/x-vcard", "text/directory",
            "application/vcard", "application/ogg", "application/smil");

    /** What was fetched: its content type (without parameters) and bytes. */
    public record Fetched(String contentType, byte[] bytes) {
    }

    /** A fetch that failed; {@code retryable}: trying again later may work (a timeout, a 5xx, a 429). */
    public static final class Failed extends Exception {
        private final boolean retryable;

        Failed(String reason, boolean retryable) {
            super(reason, null, false, false);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final HttpClient http;
    private final long maxBytes;
    private final Duration timeout;

    /** @param http a client that does not follow redirects itself (the JDK's default, NEVER): each hop is checked here */
    public MediaFetcher(HttpClient http, long maxBytes, Duration timeout) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the media fetcher follows redirects itself: give it a client with Redirect.NEVER");
        }
        this.http = http;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /**
     * @param reportedType the provider's content type, used when the response has none
     * @throws Failed naming why (a foreign host, too large, not media, the provider's answer)
     */
    public Fetched fetch(MediaSources.Source source, String url, String reportedType) throws Failed {
        URI at;
        try {
            at = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new Failed("the media URL is not a URL", false);
        }
        if (!source.allows(at)) {
            throw new Failed("the media URL's host " + at.getHost() + " is not one of " + source.provider() + "'s media hosts", false);
        }
        if (source.credentials() == null) {
            throw new Failed(source.provider() + "'s credentials are not configured, so its media cannot be fetched", false);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw new Failed("the fetch took longer than " + timeout.toSeconds() + " s", true);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(at).timeout(left).GET().header("Accept", "*/*");
            // Credentials go to the provider's own URL only: never to where it redirects.
            if (hop == 0) {
                source.credentials().apply(at).forEach(request::header);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new Failed("the fetch took longer than " + timeout.toSeconds() + " s", true);
            } catch (IOException e) {
                throw new Failed("the media host could not be reached (" + e.getClass().getSimpleName() + ")", true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failed("interrupted", true);
            }
            int status = response.statusCode();
            if (status / 100 == 3 && status != 304) {
                close(response);
                String location = response.headers().firstValue("Location").orElse(null);
                if (location == null) {
                    throw new Failed("the media host answered " + status + " without a Location", false);
                }
                URI next;
                try {
                    next = at.resolve(location.trim());
                } catch (IllegalArgumentException e) {
                    throw new Failed("the media host redirected to something that is not a URL", false);
                }
                if (!source.allows(next)) {
                    throw new Failed("the media host redirected to " + next.getHost() + ", not one of " + source.provider()
                            + "'s media hosts", false);
                }
                at = next;
                continue;
            }
            if (status / 100 != 2) {
                close(response);
                boolean retryable = status == 408 || status == 429 || status / 100 == 5;
                throw new Failed("the media host answered " + status, retryable);
            }
            String type = response.headers().firstValue("Content-Type").map(MediaFetcher::bare)
                    .filter(t -> !t.isEmpty() && !t.equals("application/octet-stream"))
                    .orElse(reportedType == null ? "application/octet-stream" : bare(reportedType));
            if (!isMedia(type)) {
                close(response);
                throw new Failed("the media host served " + type + ", which is not an image, video, audio or file type kept", false);
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                close(response);
                throw new Failed("the media is " + declared + " bytes; at most " + maxBytes + " are kept", false);
            }
            return new Fetched(type, read(response.body()));
        }
        throw new Failed("more than " + MAX_REDIRECTS + " redirects", false);
    }

    private byte[] read(InputStream body) throws Failed {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new Failed("the media is larger than " + maxBytes + " bytes, the most kept", false);
            }
            return bytes;
        } catch (IOException e) {
            throw new Failed("the media could not be read to its end (" + e.getClass().getSimpleName() + ")", true);
        }
    }

    /** Whether a content type is kept: images, video, audio, and a few file types MMS carries. */
    static boolean isMedia(String type) {
        return type.startsWith("image/") && !type.equals("image/svg+xml") || type.startsWith("video/") || type.startsWith("audio/")
                || OTHER_MEDIA_TYPES.contains(type);
    }

    private static String bare(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
