package dev.dripline.steps;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.dripline.Dripline;
import dev.dripline.Priming;
import dev.dripline.json.Json;
import dev.dripline.queue.lambda.QueueBatch;
import dev.dripline.schedule.Due;

/**
 * The steps queue's consumer: campaign steps that EventBridge Scheduler (or a queue delay)
 * delivers when they fall due, the events, replies and opt-outs that move enrolments, scheduled
 * one-off sends, and outbound webhook deliveries with their retries.
 * A thin adapter: the SQS batch and its partial failures here, the work to {@link StepsRouter}.
 * Wired by hand, without a DI container, for a short cold start.
 */
public final class StepsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final StepsRouter router;
    private final QueueBatch batch;
    private final java.util.function.Supplier<dev.dripline.analytics.Counters> counters;

    /** Lambda's entry: the core from the function's environment. */
    public StepsHandler() {
        this(withPublicUrl(Dripline.fromEnvironment(System.getenv())));
        Priming.register("steps", () -> router.route(Json.read("{\"kind\":\"send\",\"messageId\":\"msg_priming\"}", Due.class)));
    }

    /** Short links in campaign and broadcast texts: no request here to take the public URL from. */
    private static Dripline withPublicUrl(Dripline dripline) {
        dripline.settings().requirePublicUrl("steps");
        return dripline;
    }

    /** For the local runtime and tests. */
    public StepsHandler(Dripline dripline) {
        this.router = new StepsRouter(dripline.messages(), dripline.outboundWebhooks(), dripline::journeys, dripline::broadcasts,
                dripline::receivedMedia);
        this.batch = new QueueBatch();
        this.counters = dripline::counters;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // The batch's counts (steps done, messages made) are written together: one write per counter item.
        return counters.get().batched(() -> batch.run(event, body -> router.route(Json.read(body, Due.class))));
    }
}
