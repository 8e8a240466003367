package dev.dripline.webhooks.http;

import dev.dripline.Dripline;
import dev.dripline.webhooks.aws.AwsSmsCallbacks;
import dev.dripline.webhooks.aws.SnsEnvelope;
import dev.dripline.webhooks.aws.SnsVerifier;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS End User Messaging SMS: two-way inbound and delivery events as SNS HTTPS deliveries,
 * refused unless signed by SNS for an accepted topic. Subscription confirmations are confirmed.
 */
@Controller("/webhooks/aws")
@Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON, MediaType.ALL})
public class AwsWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(AwsWebhooks.class);

    private final Dripline dripline;
    private volatile SnsVerifier sns;

    public AwsWebhooks(Dripline dripline) {
        this.dripline = dripline;
    }

    @Post("/inbound")
    public HttpResponse<?> inbound(@Nullable @Body String body) {
        return handle(body, envelope -> dripline.conversations().receive(AwsSmsCallbacks.inbound(envelope, dripline.clock().instant())));
    }

    @Post("/status")
    public HttpResponse<?> status(@Nullable @Body String body) {
        return handle(body, envelope -> AwsSmsCallbacks.receipt(envelope, dripline.clock().instant()).ifPresent(dripline.receipts()::apply));
    }

    private HttpResponse<?> handle(String body, Consumer<SnsEnvelope> notification) {
        SnsEnvelope envelope = verifier().verified(body);
        switch (envelope.type()) {
            case SnsEnvelope.SUBSCRIPTION_CONFIRMATION -> {
                verifier().confirm(envelope);
                LOG.info("confirmed the SNS subscription to {}", envelope.topicArn());
            }
            case SnsEnvelope.UNSUBSCRIBE_CONFIRMATION -> LOG.warn("SNS unsubscribed this endpoint from {}", envelope.topicArn());
            default -> notification.accept(envelope);
        }
        return HttpResponse.noContent();
    }

    /** Built on first use: tests swap the HTTP seam after the controller exists. */
    private SnsVerifier verifier() {
        SnsVerifier v = sns;
        if (v == null) {
            v = new SnsVerifier(dripline.settings().webhooks().awsTopicArns(), dripline.snsHttp());
            sns = v;
        }
        return v;
    }
}
