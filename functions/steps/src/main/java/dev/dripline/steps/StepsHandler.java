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
import dev.dripline.drip.Journeys;
import java.util.function.Supplier;

/**
 * The steps queue's consumer: campaign steps that EventBridge Scheduler (or a queue delay)
 * delivers when they fall due, the events, replies and opt-outs that move enrolments, scheduled
 * one-off sends, and outbound webhook deliveries with their retries.
 * Wired by hand, without a DI container, for a short cold start.
 */
public final class StepsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Messages messages;
    private final OutboundWebhooks webhooks;
    private final QueueBatch batch;
    private final Supplier<Journeys> journeys;
    private final Supplier<dev.dripline.broadcasts.Broadcasts> broadcasts;

    /** Lambda's entry: the core from the function's environment. */
    public StepsHandler() {
        this(withPublicUrl(Dripline.fromEnvironment(System.getenv())));
        Priming.register("steps", () -> act(Json.read("{\"kind\":\"send\",\"messageId\":\"msg_priming\"}", Due.class)));
    }

    /** Short links in campaign and broadcast texts: no request here to take the public URL from. */
    private static Dripline withPublicUrl(Dripline dripline) {
        dripline.settings().requirePublicUrl("steps");
        return dripline;
    }

    /** For the local runtime and tests. */
    public StepsHandler(Dripline dripline) {
        this.messages = dripline.messages();
        this.webhooks = dripline.outboundWebhooks();
        this.batch = new QueueBatch();
        this.journeys = dripline::journeys;
        this.broadcasts = dripline::broadcasts;
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
        } else if (due instanceof Due.Step step) {
            journeys.get().onStep(step);
        } else if (due instanceof Due.ContactEvent event) {
            journeys.get().onEvent(event);
        } else if (due instanceof Due.Reply reply) {
            journeys.get().onReply(reply);
        } else if (due instanceof Due.OptOut optOut) {
            journeys.get().onOptOut(optOut);
        } else if (due instanceof Due.Enrol enrol) {
            journeys.get().onEnrol(enrol);
        } else if (due instanceof Due.Resume resume) {
            journeys.get().onResume(resume);
        } else if (due instanceof Due.ContactChanged changed) {
            journeys.get().onContactChanged(changed);
        } else if (due instanceof Due.DateSweep sweep) {
            journeys.get().onDateSweep(sweep);
        } else if (due instanceof Due.BroadcastPage page) {
            broadcasts.get().onPage(page);
        } else if (due instanceof Due.BroadcastRelease release) {
            broadcasts.get().onRelease(release);
        } else {
            throw new IllegalArgumentException("the steps function does not handle " + due.getClass().getSimpleName() + " yet");
        }
    }
}
