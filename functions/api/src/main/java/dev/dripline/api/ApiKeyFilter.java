package dev.dripline.api;

import dev.dripline.auth.ApiKeys;
import dev.dripline.http.Problems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Optional;

/**
 * Every {@code /v1} request carries {@code Authorization: Bearer <api key>}; anything else is
 * answered 401 before a controller runs. The key's name becomes the request's actor.
 */
@ServerFilter("/v1/**")
public class ApiKeyFilter {

    /** Request attribute holding the name of the key that authenticated the request. */
    public static final String ACTOR = "dripline.actor";

    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> authenticate(HttpRequest<?> request) {
        Optional<String> header = request.getHeaders().getAuthorization();
        if (header.isEmpty()) {
            return unauthorized("missing Authorization header: send 'Authorization: Bearer <api key>'");
        }
        String value = header.get();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("the Authorization header must use the Bearer scheme");
        }
        Optional<String> actor = keys.verify(value.substring(7).trim());
        if (actor.isEmpty()) {
            return unauthorized("the API key is not valid");
        }
        request.setAttribute(ACTOR, actor.get());
        return null;
    }

    private static MutableHttpResponse<?> unauthorized(String detail) {
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header("WWW-Authenticate", "Bearer")
                .contentType(Problems.CONTENT_TYPE)
                .body(Problems.of(HttpStatus.UNAUTHORIZED, detail));
    }
}
