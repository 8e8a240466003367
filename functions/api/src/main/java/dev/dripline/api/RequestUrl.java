package dev.dripline.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.dripline.Settings;
import io.micronaut.http.HttpRequest;
import io.micronaut.servlet.http.ServletHttpRequest;
import java.net.URI;

/**
 * The public base URL for links made while answering a request: DRIPLINE_PUBLIC_URL where there
 * is one; on AWS without it, the domain and stage API Gateway received the request on (its
 * requestContext, set by API Gateway, not by the caller), because the template cannot give the
 * api function its own API's URL (a circular dependency).
 */
final class RequestUrl {

    private RequestUrl() {
    }

    static URI of(HttpRequest<?> request, Settings settings) {
        if (settings.publicUrl() != null) {
            return settings.publicUrl();
        }
        if (request instanceof ServletHttpRequest<?, ?> servlet && servlet.getNativeRequest() instanceof APIGatewayV2HTTPEvent event
                && event.getRequestContext() != null) {
            return of(event.getRequestContext().getDomainName(), event.getRequestContext().getStage());
        }
        String host = request.getHeaders().get("Host");
        if (host == null || host.isBlank()) {
            throw new IllegalStateException("no public URL: DRIPLINE_PUBLIC_URL is not set and the request names no host");
        }
        return URI.create("https://" + host.trim());
    }

    /** {@code https://<domain>}, plus {@code /<stage>} for a named stage ($default has no path segment). */
    static URI of(String domainName, String stage) {
        if (domainName == null || domainName.isBlank()) {
            throw new IllegalStateException("no public URL: DRIPLINE_PUBLIC_URL is not set and API Gateway gave no domainName");
        }
        boolean named = stage != null && !stage.isBlank() && !stage.equals("$default");
        return URI.create("https://" + domainName.trim() + (named ? "/" + stage.trim() : ""));
    }
}
