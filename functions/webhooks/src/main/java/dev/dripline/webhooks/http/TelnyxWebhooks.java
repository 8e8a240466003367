package dev.dripline.webhooks.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Dripline;
import dev.dripline.webhooks.telnyx.TelnyxCallbacks;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;

/** Telnyx messaging webhooks: Ed25519 over timestamp|body with the account's public key. */
@Controller("/webhooks/telnyx")
public class TelnyxWebhooks {

    private final Dripline dripline;
    private final TelnyxCallbacks telnyx;

    public TelnyxWebhooks(Dripline dripline) {
        this.dripline = dripline;
        this.telnyx = new TelnyxCallbacks(dripline.settings().webhooks().telnyxPublicKey());
    }

    @Post("/inbound")
    public HttpResponse<?> inbound(@Nullable @Header(TelnyxCallbacks.SIGNATURE_HEADER) String signature,
                                   @Nullable @Header(TelnyxCallbacks.TIMESTAMP_HEADER) String timestamp, @Nullable @Body String body) {
        JsonNode data = telnyx.verified(signature, timestamp, body, dripline.clock().instant());
        TelnyxCallbacks.inbound(data, dripline.clock().instant()).ifPresent(dripline.conversations()::receive);
        return HttpResponse.noContent();
    }

    @Post("/status")
    public HttpResponse<?> status(HttpRequest<?> request, @Nullable @Header(TelnyxCallbacks.SIGNATURE_HEADER) String signature,
                                  @Nullable @Header(TelnyxCallbacks.TIMESTAMP_HEADER) String timestamp, @Nullable @Body String body) {
        JsonNode data = telnyx.verified(signature, timestamp, body, dripline.clock().instant());
        TelnyxCallbacks.receipt(request.getParameters().get("m"), data, dripline.clock().instant()).ifPresent(dripline.receipts()::apply);
        return HttpResponse.noContent();
    }
}
