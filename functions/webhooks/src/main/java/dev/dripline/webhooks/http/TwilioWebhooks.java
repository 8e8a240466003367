package dev.dripline.webhooks.http;

import dev.dripline.config.Secret;
import dev.dripline.Dripline;
import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.twilio.TwilioCallbacks;
import dev.dripline.webhooks.twilio.TwilioSignature;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;

/** Twilio's inbound and status callbacks: X-Twilio-Signature over the public URL and the raw form. */
@Controller("/webhooks/twilio")
@Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL})
public class TwilioWebhooks {

    /** The empty TwiML Twilio expects from a messaging webhook: no automatic reply. */
    static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private final Dripline dripline;
    private final TwilioCallbacks twilio;

    public TwilioWebhooks(Dripline dripline) {
        this.dripline = dripline;
        this.twilio = new TwilioCallbacks(dripline.settings().webhooks().twilioAuthToken().map(Secret::reveal));
    }

    @Post("/inbound")
    public HttpResponse<String> inbound(HttpRequest<?> request, @Nullable @Header(TwilioSignature.HEADER) String signature,
                                        @Nullable @Body String body) {
        Form form = twilio.verified(PublicUrl.called(request, dripline.settings()), signature, body);
        dripline.conversations().receive(TwilioCallbacks.inbound(form, dripline.clock().instant()));
        return HttpResponse.ok(EMPTY_TWIML).contentType(MediaType.TEXT_XML_TYPE);
    }

    /** The same callbacks when the number's webhook method is GET: the fields in the query, signed with the URL. */
    @Get("/inbound")
    public HttpResponse<String> inboundByGet(HttpRequest<?> request, @Nullable @Header(TwilioSignature.HEADER) String signature) {
        Form form = twilio.verifiedGet(PublicUrl.called(request, dripline.settings()), signature);
        dripline.conversations().receive(TwilioCallbacks.inbound(form, dripline.clock().instant()));
        return HttpResponse.ok(EMPTY_TWIML).contentType(MediaType.TEXT_XML_TYPE);
    }

    @Get("/status")
    public HttpResponse<?> statusByGet(HttpRequest<?> request, @Nullable @Header(TwilioSignature.HEADER) String signature) {
        Form form = twilio.verifiedGet(PublicUrl.called(request, dripline.settings()), signature);
        TwilioCallbacks.receipt(request.getParameters().get("m"), form, dripline.clock().instant())
                .ifPresent(dripline.receipts()::apply);
        return HttpResponse.noContent();
    }

    @Post("/status")
    public HttpResponse<?> status(HttpRequest<?> request, @Nullable @Header(TwilioSignature.HEADER) String signature,
                                  @Nullable @Body String body) {
        Form form = twilio.verified(PublicUrl.called(request, dripline.settings()), signature, body);
        TwilioCallbacks.receipt(request.getParameters().get("m"), form, dripline.clock().instant())
                .ifPresent(dripline.receipts()::apply);
        return HttpResponse.noContent();
    }
}
