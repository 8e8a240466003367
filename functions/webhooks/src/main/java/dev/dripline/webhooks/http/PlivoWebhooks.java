package dev.dripline.webhooks.http;

import dev.dripline.config.Secret;
import dev.dripline.Dripline;
import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.plivo.PlivoCallbacks;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;

/** Plivo's message callbacks: X-Plivo-Signature-V3 with its nonce over the public URL and the raw form. */
@Controller("/webhooks/plivo")
@Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL})
public class PlivoWebhooks {

    private final Dripline dripline;
    private final PlivoCallbacks plivo;

    public PlivoWebhooks(Dripline dripline) {
        this.dripline = dripline;
        this.plivo = new PlivoCallbacks(dripline.settings().webhooks().plivoAuthToken().map(Secret::reveal));
    }

    @Post("/inbound")
    public HttpResponse<?> inbound(HttpRequest<?> request, @Nullable @Header(PlivoCallbacks.SIGNATURE_HEADER) String signature,
                                   @Nullable @Header(PlivoCallbacks.NONCE_HEADER) String nonce, @Nullable @Body String body) {
        Form form = plivo.verified(PublicUrl.called(request, dripline.settings()), signature, nonce, body);
        dripline.conversations().receive(PlivoCallbacks.inbound(form, dripline.clock().instant()));
        return HttpResponse.noContent();
    }

    @Post("/status")
    public HttpResponse<?> status(HttpRequest<?> request, @Nullable @Header(PlivoCallbacks.SIGNATURE_HEADER) String signature,
                                  @Nullable @Header(PlivoCallbacks.NONCE_HEADER) String nonce, @Nullable @Body String body) {
        Form form = plivo.verified(PublicUrl.called(request, dripline.settings()), signature, nonce, body);
        PlivoCallbacks.receipt(request.getParameters().get("m"), form, dripline.clock().instant()).ifPresent(dripline.receipts()::apply);
        return HttpResponse.noContent();
    }
}
