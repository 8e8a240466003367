package dev.dripline.sender;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.dripline.Dripline;
import dev.dripline.Priming;
import dev.dripline.json.Json;
import dev.dripline.logging.Correlation;
import dev.dripline.messaging.SendRequest;
import dev.dripline.messaging.Sender;
import dev.dripline.queue.lambda.QueueBatch;

/**
 * The send queue's consumer. Wired by hand, without a DI container, because its cold start
 * is on the path of every burst of messages.
 */
public final class SenderHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Sender sender;
    private final QueueBatch batch;
    private final java.util.function.Supplier<dev.dripline.analytics.Counters> counters;

    /** Lambda's entry: the core from the function's environment. */
    public SenderHandler() {
        this(Dripline.fromEnvironment(System.getenv()));
        Priming.register("sender", this::prime);
    }

    /** For the local runtime and tests: any core, e.g. on in-process engines. */
    public SenderHandler(Dripline dripline) {
        this.sender = dripline.sender();
        this.batch = new QueueBatch();
        this.counters = dripline::counters;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // A message that must wait is re-enqueued by the sender itself: every result acknowledges.
        // The batch's hand-overs are counted together: one write per counter item, not one per message.
        return counters.get().batched(() -> batch.run(event, body -> {
            SendRequest request = Json.read(body, SendRequest.class);
            // The id of the API call or webhook that queued it: its logs and this provider call line up.
            Correlation.begin(request.correlationId());
            try {
                sender.send(request);
            } finally {
                Correlation.end();
            }
        }));
    }

    /** The whole path on a message that does not exist: parse, read the record, conclude. */
    private void prime() {
        sender.send(Json.read(Json.write(new SendRequest("msg_priming")), SendRequest.class));
    }
}
