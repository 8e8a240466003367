package dev.dripline.queue.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.dripline.queue.Redelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SQS batch record by record and reports partial batch failures, so that one bad
 * record does not make Lambda redeliver the good ones. A record asks to be retried by
 * returning a delay (its visibility is set to it); an exception also fails only its record,
 * and after the queue's maxReceiveCount SQS moves it to the dead-letter queue.
 */
public final class QueueBatch {

    private static final Logger LOG = LoggerFactory.getLogger(QueueBatch.class);

    /** Handles one record's body; empty when done, a delay to have it delivered again later. */
    @FunctionalInterface
    public interface RecordHandler {
        Optional<Duration> handle(String body) throws Exception;
    }

    private final Redelivery redelivery;

    public QueueBatch(Redelivery redelivery) {
        this.redelivery = redelivery;
    }

    public SQSBatchResponse run(SQSEvent event, RecordHandler handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            try {
                Optional<Duration> retry = handler.handle(record.getBody());
                if (retry.isPresent()) {
                    redelivery.later(record.getEventSourceArn(), record.getReceiptHandle(), retry.get());
                    failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
                }
            } catch (Exception e) {
                LOG.error("record {} failed (receive count {}): {}", record.getMessageId(),
                        record.getAttributes() == null ? "?" : record.getAttributes().get("ApproximateReceiveCount"), e.toString(), e);
                failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
