package dev.dripline.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.dripline.Dripline;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.RateLimited;
import dev.dripline.signup.SignupForm;
import dev.dripline.signup.SignupForms;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.servlet.http.ServletHttpRequest;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /join/{formId}}: a sign-up form's hosted page, for people (no API key, no
 * JavaScript; not in /openapi.yml). The POST is the browser's form-encoded submission: a wrong
 * one is shown again with every error (422), a limit reached is 429 with a page saying so.
 */
@Controller("/join")
public class JoinController {

    private static final int MAX_FORM = 16 * 1024;

    private final SignupForms forms;

    public JoinController(Dripline dripline) {
        this.forms = dripline.signupForms();
    }

    @Get(value = "/{formId}", produces = MediaType.TEXT_HTML)
    @io.swagger.v3.oas.annotations.Hidden
    public HttpResponse<String> page(String formId) {
        return forms.find(formId).map(f -> page(HttpStatus.OK, JoinPage.form(f, Map.of(), List.of())))
                .orElseGet(() -> page(HttpStatus.NOT_FOUND, JoinPage.notFound()));
    }

    @Post(value = "/{formId}", produces = MediaType.TEXT_HTML)
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL})
    @io.swagger.v3.oas.annotations.Hidden
    public HttpResponse<String> submit(HttpRequest<?> request, String formId, @Nullable @Body String body) {
        Optional<SignupForm> form = forms.find(formId);
        if (form.isEmpty()) {
            return page(HttpStatus.NOT_FOUND, JoinPage.notFound());
        }
        Map<String, String> values = decode(body);
        try {
            forms.submit(formId, new SignupForms.Submission(values, clientIp(request), request.getHeaders().get(HttpHeaders.USER_AGENT)));
            return page(HttpStatus.OK, JoinPage.thanks(form.get()));
        } catch (InvalidInput invalid) {
            List<FieldError> errors = invalid.errors().stream()
                    .map(e -> new FieldError(e.field().startsWith("attributes.") ? e.field().substring(11) : e.field(), e.message())).toList();
            return page(HttpStatus.UNPROCESSABLE_ENTITY, JoinPage.form(form.get(), values, errors));
        } catch (RateLimited limited) {
            return page(HttpStatus.TOO_MANY_REQUESTS, JoinPage.limited(limited.getMessage(), limited.retryAfterSeconds()))
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
        }
    }

    private static MutableHttpResponse<String> page(HttpStatus status, String html) {
        return HttpResponse.<String>status(status).body(html).contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", JoinPage.POLICY)
                // Not no-referrer: with it, browsers send the form's POST with "Origin: null", which the local server refuses
                // (Micronaut's drive-by-localhost guard). same-origin sends nothing to other sites either.
                .header("Referrer-Policy", "same-origin")
                // Each answer holds a form's current version and maybe what someone typed: never stored by a cache.
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /**
     * The client's address: on AWS, the source IP API Gateway saw (set by API Gateway, not by the
     * caller, unlike X-Forwarded-For); locally, the socket's peer.
     */
    static String clientIp(HttpRequest<?> request) {
        if (request instanceof ServletHttpRequest<?, ?> servlet && servlet.getNativeRequest() instanceof APIGatewayV2HTTPEvent event
                && event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                && event.getRequestContext().getHttp().getSourceIp() != null) {
            return event.getRequestContext().getHttp().getSourceIp();
        }
        InetSocketAddress peer = request.getRemoteAddress();
        return peer == null ? null : peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
    }

    /** A form-encoded body; the first value of a repeated name; a body past 16 KiB is read as empty (every field then missing). */
    static Map<String, String> decode(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        if (body == null || body.isEmpty() || body.length() > MAX_FORM) {
            return values;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.putIfAbsent(name, value);
            } catch (IllegalArgumentException malformed) {
                // A malformed %-escape: that pair is dropped, so its field reads as missing and is named.
            }
        }
        return values;
    }
}
