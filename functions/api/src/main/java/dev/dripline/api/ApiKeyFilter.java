package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.auth.ApiKeys;
import dev.dripline.auth.Caller;
import dev.dripline.auth.KeyRateLimit;
import dev.dripline.auth.KeyStore;
import dev.dripline.auth.Scope;
import dev.dripline.errors.RateLimited;
import dev.dripline.http.Problems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Every {@code /v1} request carries {@code Authorization: Bearer <api key>}: the configured key
 * (DRIPLINE_API_KEY, an admin key) or one created through {@code /v1/api-keys}. No key or a wrong
 * one is 401; a key without the route's scope ({@link Scope#requiredFor}) 403; a key over its
 * request rate 429 with Retry-After. All before a controller runs. The key's name becomes the
 * request's actor.
 */
@ServerFilter("/v1/**")
public class ApiKeyFilter {

    /** Request attribute holding the name of the key that authenticated the request. */
    public static final String ACTOR = "dripline.actor";

    private final ApiKeys configured;
    private final KeyStore store;
    private final KeyRateLimit rateLimit;

    public ApiKeyFilter(ApiKeys configured, Dripline dripline) {
        this.configured = configured;
        this.store = dripline.keyStore();
        this.rateLimit = dripline.keyRateLimit();
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
        String presented = value.substring(7).trim();
        Optional<Caller> caller = configured.verify(presented)
                .map(name -> new Caller("configured:" + name, name, EnumSet.of(Scope.ADMIN)))
                .or(() -> store.verify(presented));
        if (caller.isEmpty()) {
            return unauthorized("the API key is not valid");
        }
        Scope needed = Scope.requiredFor(request.getMethodName(), request.getPath());
        if (!caller.get().allows(needed)) {
            return problem(HttpStatus.FORBIDDEN, "this API key lacks the '" + needed.wire() + "' scope this route needs");
        }
        try {
            rateLimit.take(caller.get().keyId());
        } catch (RateLimited limited) {
            return problem(HttpStatus.TOO_MANY_REQUESTS, limited.getMessage())
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
        }
        request.setAttribute(ACTOR, caller.get().name());
        request.setAttribute(dev.dripline.http.IdempotencyFilter.KEY_ID_ATTRIBUTE, caller.get().keyId());
        return null;
    }

    private static MutableHttpResponse<?> unauthorized(String detail) {
        return problem(HttpStatus.UNAUTHORIZED, detail).header("WWW-Authenticate", "Bearer");
    }

    private static MutableHttpResponse<?> problem(HttpStatus status, String detail) {
        return HttpResponse.status(status).contentType(Problems.CONTENT_TYPE).body(Problems.of(status, detail));
    }
}
