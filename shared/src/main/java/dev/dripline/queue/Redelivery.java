package dev.dripline.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;

/**
 * Puts a received message back to be delivered again after a delay, by setting its visibility
 * timeout: a message that must wait (a throttled provider, a rate limit) waits on the queue,
 * not in a sleeping function.
 */
public final class Redelivery {

    /** SQS's longest visibility timeout is 12 hours; waits here are far shorter. */
    private static final long MAX_SECONDS = 12 * 60 * 60;

    private final Supplier<SqsClient> sqs;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    public Redelivery(Supplier<SqsClient> sqs) {
        this.sqs = sqs;
    }

    /**
     * @param queueArn      the record's eventSourceArn: arn:aws:sqs:region:account:name
     * @param receiptHandle the record's receipt handle
     */
    public void later(String queueArn, String receiptHandle, Duration delay) {
        long seconds = Math.max(0, Math.min(MAX_SECONDS, delay.toSeconds()));
        sqs.get().changeMessageVisibility(ChangeMessageVisibilityRequest.builder()
                .queueUrl(queueUrl(queueArn))
                .receiptHandle(receiptHandle)
                .visibilityTimeout((int) seconds)
                .build());
    }

    private String queueUrl(String arn) {
        String[] parts = arn.split(":");
        if (parts.length < 6) {
            throw new IllegalArgumentException("not an SQS queue ARN: " + arn);
        }
        return urls.computeIfAbsent(parts[5], name -> sqs.get().getQueueUrl(r -> r.queueName(name)).queueUrl());
    }
}
