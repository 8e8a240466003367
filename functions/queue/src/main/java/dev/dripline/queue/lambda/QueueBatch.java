package dev.dripline.queue.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SQS batch record by record and reports partial batch failures, so that one bad
 * record does not make Lambda redeliver the good ones. Only an exception fails a record: SQS
 * redelivers it after its visibility timeout, and after the queue's maxReceiveCount moves it to
 * the dead-letter queue. Work that must merely wait (a throttled provider) is not a failure: the
 * handler re-enqueues it with a delay and returns normally, so that waiting never uses up the
 * receive count meant for real failures.
 */
public final class QueueBatch {

    private static final Logger LOG = LoggerFactory.getLogger(QueueBatch.class);

    /** Handles one record's body; throws to have the record delivered again. */
    @FunctionalInterface
    public interface RecordHandler {
        void handle(String body) throws Exception;
    }

    public SQSBatchResponse run(SQSEvent event, RecordHandler handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            try {
                handler.handle(record.getBody());
            } catch (Exception e) {
                LOG.error("record {} failed (receive count {}): {}", record.getMessageId(),
                        record.getAttributes() == null ? "?" : record.getAttributes().get("ApproximateReceiveCount"), e.toString(), e);
                failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
