package dev.dripline.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Drives an SQS handler the way Lambda's SQS event source does: long-polls batches of up to
 * ten, invokes the handler with an {@link SQSEvent}, deletes what succeeded and leaves the
 * reported failures (or the whole batch, if the handler throws) to reappear after the
 * visibility timeout, until the queue's redrive policy moves them to the dead-letter queue.
 * {@code concurrency} plays the event source's MaximumConcurrency.
 */
public final class QueuePoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueuePoller.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String functionName;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final ExecutorService workers;
    private final AtomicLong invocations = new AtomicLong();
    private final int concurrency;
    /** Batches being handled now. */
    private final AtomicInteger busy = new AtomicInteger();
    /** Messages that failed, by id: when (System.nanoTime) they are visible again. */
    private final Map<String, Long> retrying = new ConcurrentHashMap<>();
    private final long visibilityNanos;
    private volatile boolean running = true;

    public QueuePoller(SqsClient sqs, String queueUrl, String functionName, RequestHandler<SQSEvent, SQSBatchResponse> handler,
                       int concurrency) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = "arn:aws:sqs:us-east-1:000000000000:" + queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        this.functionName = functionName;
        this.handler = handler;
        this.concurrency = concurrency;
        this.visibilityNanos = Duration.ofSeconds(Long.parseLong(sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                .getOrDefault(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).toNanos();
        // Zero: the queue is left unconsumed (a benchmark of what fills it).
        this.workers = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
            Thread t = new Thread(r, functionName + "-poller");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < concurrency; i++) {
            workers.execute(this::poll);
        }
    }

    public long invocations() {
        return invocations.get();
    }

    /** Time spent in the handler so far, summed over invocations (what Lambda would bill). */
    public long handlerNanos() {
        return handlerNanos.sum();
    }

    private final java.util.concurrent.atomic.LongAdder handlerNanos = new java.util.concurrent.atomic.LongAdder();

    /** Whether anything consumes the queue (a benchmark may leave it unconsumed). */
    public boolean consuming() {
        return concurrency > 0;
    }

    /**
     * Nothing for this consumer to do: no message visible, no batch in hand, and every message in
     * flight is one that failed and waits out its visibility timeout before it is delivered again.
     */
    public boolean settled() {
        if (busy.get() > 0) {
            return false;
        }
        long now = System.nanoTime();
        retrying.values().removeIf(visibleAgain -> visibleAgain - now <= 0);
        int[] depth = depth();
        // busy again: a batch was taken while the counts were read.
        return depth[0] == 0 && depth[1] <= retrying.size() && busy.get() == 0;
    }

    /** The queue's visible and in-flight (received, not yet deleted) message counts. */
    private int[] depth() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return new int[] {Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
                Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"))};
    }

    private void poll() {
        while (running) {
            try {
                ReceiveMessageResponse received = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All"));
                if (received.messages().isEmpty() || !running) {
                    continue;
                }
                busy.incrementAndGet();
                received.messages().forEach(m -> retrying.remove(m.messageId()));
                try {
                    invoke(received.messages());
                } finally {
                    busy.decrementAndGet();
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("{}: polling {} failed: {}", functionName, queueUrl, e.toString());
                    sleep();
                }
            }
        }
    }

    private void invoke(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setReceiptHandle(m.receiptHandle());
            record.setBody(m.body());
            record.setMd5OfBody(m.md5OfBody());
            Map<String, String> attributes = new HashMap<>();
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            record.setAttributes(attributes);
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion("us-east-1");
            records.add(record);
        }
        event.setRecords(records);
        invocations.incrementAndGet();
        Set<String> failed;
        long began = System.nanoTime();
        try {
            SQSBatchResponse response = handler.handleRequest(event, new LocalLambdaContext(functionName, 60_000));
            handlerNanos.add(System.nanoTime() - began);
            failed = response == null || response.getBatchItemFailures() == null ? Set.of()
                    : response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .collect(Collectors.toSet());
        } catch (RuntimeException e) {
            LOG.error("{}: invocation failed; the whole batch of {} will be redelivered: {}", functionName, messages.size(), e.toString(), e);
            messages.forEach(m -> retrying.put(m.messageId(), System.nanoTime() + visibilityNanos));
            return;
        }
        failed.forEach(id -> retrying.put(id, System.nanoTime() + visibilityNanos));
        List<DeleteMessageBatchRequestEntry> done = messages.stream()
                .filter(m -> !failed.contains(m.messageId()))
                .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build())
                .toList();
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        workers.shutdown();
        try {
            workers.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }
}
