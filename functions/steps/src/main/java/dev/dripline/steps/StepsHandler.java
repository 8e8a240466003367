package dev.dripline.steps;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.dripline.Dripline;
import dev.dripline.Priming;
import dev.dripline.json.Json;
import dev.dripline.messaging.Messages;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.queue.lambda.QueueBatch;
import dev.dripline.schedule.Due;

/**
 * The steps queue's consumer: work that EventBridge Scheduler delivers when it falls due, and
 * outbound webhook deliveries with their retries (delayed SQS messages).
 * Wired by hand, without a DI container, for a short cold start.
 */
public final class StepsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Messages messages;
    private final OutboundWebhooks webhooks;
    private final QueueBatch batch;

    /** Lambda's entry: the core from the function's environment. */
    public StepsHandler() {
        this(Dripline.fromEnvironment(System.getenv()));
        Priming.register("steps", () -> act(Json.read("{\"kind\":\"send\",\"messageId\":\"msg_priming\"}", Due.class)));
    }

    /** For the local runtime and tests. */
    public StepsHandler(Dripline dripline) {
        this.messages = dripline.messages();
        this.webhooks = dripline.outboundWebhooks();
        this.batch = new QueueBatch();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return batch.run(event, body -> act(Json.read(body, Due.class)));
    }

    private void act(Due due) {
        if (due instanceof Due.ScheduledSend send) {
            messages.releaseScheduled(send.messageId());
        } else if (due instanceof Due.WebhookDelivery delivery) {
            webhooks.deliver(delivery);
        }
    }
}
