package dev.dripline.queue;

import dev.dripline.json.Json;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** One SQS queue that carries JSON payloads (SQS on AWS, ElasticMQ locally: the same protocol). */
public final class SqsQueue {

    /** SQS's longest delivery delay. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final SqsClient sqs;
    private final String url;

    public SqsQueue(SqsClient sqs, String url) {
        this.sqs = sqs;
        this.url = url;
    }

    public void send(Object payload) {
        send(payload, Duration.ZERO);
    }

    /** Sends, to be delivered after {@code delay} (capped at SQS's 15 minutes). */
    public void send(Object payload, Duration delay) {
        long seconds = Math.max(0, Math.min(delay.toSeconds(), MAX_DELAY.toSeconds()));
        sqs.sendMessage(SendMessageRequest.builder().queueUrl(url).messageBody(Json.write(payload))
                .delaySeconds((int) seconds).build());
    }

    public String url() {
        return url;
    }
}
