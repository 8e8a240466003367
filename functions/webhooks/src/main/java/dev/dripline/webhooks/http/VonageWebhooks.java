package dev.dripline.webhooks.http;

import dev.dripline.config.Secret;
import dev.dripline.Dripline;
import dev.dripline.conversations.InboundSms;
import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.vonage.InboundPart;
import dev.dripline.webhooks.vonage.VonageCallbacks;
import dev.dripline.webhooks.vonage.VonageMessagesCallbacks;
import io.micronaut.http.annotation.Header;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Vonage SMS API webhooks (inbound and DLR) by GET, POST form or POST JSON, as the account is
 * set up; refused unless signed ({@code sig}) within five minutes. Long inbound messages are
 * put together from their parts before the conversation sees them. The Messages API's (MMS) inbound
 * and status webhooks live under {@code /messages/}, signed with a JWT instead.
 */
@Controller("/webhooks/vonage")
@Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.APPLICATION_JSON, MediaType.ALL})
public class VonageWebhooks {

    private final Dripline dripline;
    private final VonageCallbacks vonage;
    private final VonageMessagesCallbacks messagesApi;

    public VonageWebhooks(Dripline dripline) {
        this.dripline = dripline;
        this.vonage = new VonageCallbacks(dripline.settings().webhooks().vonageSignatureSecret().map(Secret::reveal),
                dripline.settings().webhooks().vonageSignatureMethod());
        this.messagesApi = new VonageMessagesCallbacks(dripline.settings().webhooks().vonageSignatureSecret().map(Secret::reveal));
    }

    /**
     * The Messages API's inbound webhook (the API that carries MMS): JSON signed with a JWT in
     * Authorization; channels other than sms and mms are acknowledged and ignored.
     */
    @Post("/messages/inbound")
    public HttpResponse<?> messagesInbound(@Nullable @Header("Authorization") String authorization, @Nullable @Body String body) {
        Instant now = dripline.clock().instant();
        VonageMessagesCallbacks.inbound(messagesApi.verified(authorization, body, now), now).ifPresent(dripline.conversations()::receive);
        return HttpResponse.ok();
    }

    /**
     * The Messages API's status webhook (delivery receipts of the MMS the adapter sends there, its
     * {@code webhook_url}; or the Vonage application's Status URL): JSON signed with a JWT in
     * Authorization, as the inbound one. A status naming no Dripline message (another sender on the
     * same application, a uuid never sent from here) is acknowledged and ignored, so Vonage stops
     * retrying it.
     */
    @Post("/messages/status")
    public HttpResponse<?> messagesStatus(HttpRequest<?> request, @Nullable @Header("Authorization") String authorization,
                                          @Nullable @Body String body) {
        Instant now = dripline.clock().instant();
        VonageMessagesCallbacks.receipt(messagesApi.verified(authorization, body, now), request.getParameters().get("m"), now)
                .ifPresent(dripline.receipts()::apply);
        return HttpResponse.ok();
    }

    @Get("/inbound")
    public HttpResponse<?> inboundByGet(HttpRequest<?> request) {
        return inbound(request, null);
    }

    @Post("/inbound")
    public HttpResponse<?> inbound(HttpRequest<?> request, @Nullable @Body String body) {
        Instant now = dripline.clock().instant();
        Form params = verified(request, body, now);
        InboundPart part = VonageCallbacks.inbound(params, now);
        dripline.inboundParts().add(part).ifPresent(whole -> dripline.conversations().receive(
                new InboundSms("vonage", whole.messageId(), whole.from(), whole.to(), whole.text(), whole.receivedAt())));
        return HttpResponse.noContent();
    }

    @Get("/status")
    public HttpResponse<?> statusByGet(HttpRequest<?> request) {
        return status(request, null);
    }

    @Post("/status")
    public HttpResponse<?> status(HttpRequest<?> request, @Nullable @Body String body) {
        Instant now = dripline.clock().instant();
        Form params = verified(request, body, now);
        VonageCallbacks.receipt(params, request.getParameters().get("m"), now).ifPresent(dripline.receipts()::apply);
        return HttpResponse.noContent();
    }

    private Form verified(HttpRequest<?> request, String body, Instant now) {
        return vonage.verified(request.getMethodName(), query(request), request.getHeaders().get("Content-Type"), body, now);
    }

    /** The query as sent, else rebuilt from the decoded parameters (API Gateway hands over both). */
    private static String query(HttpRequest<?> request) {
        String raw = request.getUri().getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            return raw;
        }
        List<String> pairs = new ArrayList<>();
        for (String name : request.getParameters().names()) {
            for (String value : request.getParameters().getAll(name)) {
                pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return String.join("&", pairs);
    }
}
