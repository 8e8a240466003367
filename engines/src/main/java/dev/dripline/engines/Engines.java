package dev.dripline.engines;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS engines Dripline runs on, as clients: DynamoDB and SQS. In-process here (DynamoDB
 * Local, ElasticMQ); LocalStack where a Docker engine exists.
 */
public interface Engines extends AutoCloseable {

    DynamoDbClient dynamoDb();

    SqsClient sqs();

    /** Where SQS listens; queue URLs returned by the engine start with it. */
    URI sqsEndpoint();

    /** A short name for logs and test reports. */
    String name();

    /**
     * Waits until the queues are settled: none has a visible or an in-flight (received, not yet
     * deleted) message, seen twice in a row a moment apart, so work a consumer is handling, and
     * whatever it queues before it deletes its message, is waited for. For checks that nothing
     * (more) arrives, instead of sleeping a fixed time.
     *
     * @throws IllegalStateException naming each queue still busy, with its counts, when {@code within} passes first
     */
    default void awaitSettled(Duration within, Collection<String> queueUrls) {
        long deadline = System.nanoTime() + within.toNanos();
        int settledInARow = 0;
        while (true) {
            Map<String, String> busy = new TreeMap<>();
            for (String url : queueUrls) {
                Map<QueueAttributeName, String> a = sqs().getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                        .attributes();
                String visible = a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0");
                String inFlight = a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
                if (!visible.equals("0") || !inFlight.equals("0")) {
                    busy.put(url.substring(url.lastIndexOf('/') + 1), visible + " visible, " + inFlight + " in flight");
                }
            }
            settledInARow = busy.isEmpty() ? settledInARow + 1 : 0;
            if (settledInARow == 2) {
                return;
            }
            if (!busy.isEmpty() && System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the queues did not settle in " + within + ": " + busy);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the queues to settle", e);
            }
        }
    }

    @Override
    void close();
}
