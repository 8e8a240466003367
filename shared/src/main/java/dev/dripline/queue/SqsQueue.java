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

    /**
     * Sends, to be delivered after {@code delay}: SQS counts whole seconds, so a part second is
     * rounded up (a message never comes back before it was told to), and capped at 15 minutes.
     */
    public void send(Object payload, Duration delay) {
        long seconds = Math.max(0, Math.min(wholeSeconds(delay), MAX_DELAY.toSeconds()));
        sqs.sendMessage(SendMessageRequest.builder().queueUrl(url).messageBody(Json.write(payload))
                .delaySeconds((int) seconds).build());
    }

    /** {@code delay} in whole seconds, rounded up. */
    public static long wholeSeconds(Duration delay) {
        long millis = Math.max(0, delay.toMillis());
        return (millis + 999) / 1000;
    }

    /**
     * Sends several payloads, ten to a SendMessageBatch call; fails (naming how many) if SQS
     * refused any, so that the caller's retry sends them again (consumers are idempotent).
     */
    public void sendAll(java.util.List<?> payloads) {
        for (int from = 0; from < payloads.size(); from += 10) {
            java.util.List<?> chunk = payloads.subList(from, Math.min(payloads.size(), from + 10));
            java.util.List<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i)).messageBody(Json.write(chunk.get(i))).build());
            }
            var response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            if (response.hasFailed() && !response.failed().isEmpty()) {
                throw new IllegalStateException(response.failed().size() + " of " + chunk.size() + " messages were not queued: "
                        + response.failed().get(0).message());
            }
        }
    }

    public String url() {
        return url;
    }
}
