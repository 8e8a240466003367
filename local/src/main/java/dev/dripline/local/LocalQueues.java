package dev.dripline.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The queues of template.yaml as the local runtime creates them: each work queue with the
 * template's visibility timeout, delivery delay and redrive (maxReceiveCount) to its own
 * dead-letter queue. A message a handler fails thus comes back when it would on AWS, and goes
 * to the DLQ after as many receives. LocalQueuesTest holds this table to the template.
 */
final class LocalQueues {

    /**
     * One work queue: its short name here ({@code send}: {@code dripline-send}, {@code send-dlq}),
     * its and its DLQ's logical ids in template.yaml, and the attributes the template gives it.
     */
    record Shape(String name, String templateId, String deadLetterTemplateId, Duration visibilityTimeout, Duration delay,
                 int maxReceiveCount, boolean fifo) {
    }

    /** As template.yaml declares them (the visibility timeouts: six times each consumer's Timeout). */
    static final List<Shape> SHAPES = List.of(
            new Shape("send", "SendQueue", "SendDeadLetterQueue", Duration.ofSeconds(360), Duration.ZERO, 5, false),
            new Shape("steps", "StepsQueue", "StepsDeadLetterQueue", Duration.ofSeconds(180), Duration.ZERO, 5, false),
            new Shape("imports", "ImportsQueue", "ImportsDeadLetterQueue", Duration.ofSeconds(720), Duration.ZERO, 5, false));

    private LocalQueues() {
    }

    /** Creates every queue and its DLQ named {@code prefix + name}; their URLs by short name (send, send-dlq, ...). */
    static Map<String, String> create(SqsClient sqs, String prefix) {
        Map<String, String> urls = new HashMap<>();
        for (Shape shape : SHAPES) {
            String suffix = shape.fifo() ? ".fifo" : "";
            Map<QueueAttributeName, String> dlqAttributes = shape.fifo() ? Map.of(QueueAttributeName.FIFO_QUEUE, "true") : Map.of();
            String dlq = ensure(sqs, prefix + shape.name() + "-dlq" + suffix, dlqAttributes);
            String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            Map<QueueAttributeName, String> attributes = new HashMap<>(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(shape.visibilityTimeout().toSeconds()),
                    QueueAttributeName.DELAY_SECONDS, Long.toString(shape.delay().toSeconds()),
                    QueueAttributeName.REDRIVE_POLICY,
                    "{\"maxReceiveCount\":\"" + shape.maxReceiveCount() + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}"));
            if (shape.fifo()) {
                attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            }
            String url = ensure(sqs, prefix + shape.name() + suffix, attributes);
            urls.put(shape.name(), url);
            urls.put(shape.name() + "-dlq", dlq);
        }
        return urls;
    }

    /**
     * The queue, created with {@code attributes}, or, kept in a data directory from an earlier
     * start (perhaps of a version with other settings), given them: its messages stay.
     */
    private static String ensure(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        String existing;
        try {
            existing = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException absent) {
            return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
        }
        Map<QueueAttributeName, String> settable = new HashMap<>(attributes);
        settable.remove(QueueAttributeName.FIFO_QUEUE); // fixed at creation
        if (!settable.isEmpty()) {
            sqs.setQueueAttributes(r -> r.queueUrl(existing).attributes(settable));
        }
        return existing;
    }
}
