package dev.dripline.webhooks.http;

import dev.dripline.Settings;
import io.micronaut.http.HttpRequest;

/**
 * The base URL a provider called, which its signature covers: DRIPLINE_PUBLIC_URL where set;
 * otherwise the scheme and host of the request as API Gateway received it (its own domain or
 * the custom domain), since the webhooks function cannot be told the API's URL by the template
 * that creates both.
 */
final class PublicUrl {

    private PublicUrl() {
    }

    static String of(HttpRequest<?> request, Settings settings) {
        if (settings.publicUrlConfigured() && settings.publicUrl() != null) {
            return settings.publicUrl().toString();
        }
        String host = request.getHeaders().get("Host");
        if (host == null || host.isBlank()) {
            if (settings.publicUrl() == null) {
                throw new IllegalStateException("no public URL: DRIPLINE_PUBLIC_URL is not set and the request names no host");
            }
            return settings.publicUrl().toString();
        }
        String scheme = request.getHeaders().get("X-Forwarded-Proto");
        return (scheme == null || scheme.isBlank() ? "https" : scheme.trim()) + "://" + host.trim();
    }

    /** The full URL the provider called: the public base, the path and the query as sent. */
    static String called(HttpRequest<?> request, Settings settings) {
        return of(request, settings) + request.getUri().toString();
    }
}
