package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.json.Json;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.aws.CfnTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * template.yaml creates the queues on AWS; the local runtime creates them from
 * {@link LocalQueues}. This holds the two to the same visibility timeouts, delays, redrive and
 * kind, so a retry or a dead letter happens locally when it would on AWS.
 */
@ExtendWith(EnginesExtension.class)
class LocalQueuesTest {

    private static final CfnTemplate TEMPLATE = CfnTemplate.load(Path.of("../template.yaml"));
    /** Due work a schedule could not deliver: the local scheduler puts it on the steps queue in-process, and cannot miss. */
    private static final String SCHEDULER_DLQ = "SchedulerDeadLetterQueue";

    @Test
    void everyQueueOfTheTemplateIsALocalQueueWithTheSameSettings() {
        List<String> covered = new ArrayList<>(List.of(SCHEDULER_DLQ));
        for (LocalQueues.Shape shape : LocalQueues.SHAPES) {
            Map<String, Object> queue = TEMPLATE.properties(shape.templateId());
            assertThat(TEMPLATE.type(shape.templateId())).isEqualTo("AWS::SQS::Queue");
            assertThat(seconds(queue, "VisibilityTimeout", 30)).as("%s VisibilityTimeout", shape.templateId())
                    .isEqualTo(shape.visibilityTimeout().toSeconds());
            assertThat(seconds(queue, "DelaySeconds", 0)).as("%s DelaySeconds", shape.templateId()).isEqualTo(shape.delay().toSeconds());
            assertThat(Boolean.parseBoolean(String.valueOf(queue.getOrDefault("FifoQueue", "false")))).as("%s FifoQueue", shape.templateId())
                    .isEqualTo(shape.fifo());
            @SuppressWarnings("unchecked")
            Map<String, Object> redrive = (Map<String, Object>) queue.get("RedrivePolicy");
            assertThat(redrive).as("%s RedrivePolicy", shape.templateId()).isNotNull();
            assertThat(String.valueOf(redrive.get("deadLetterTargetArn"))).isEqualTo("${" + shape.deadLetterTemplateId() + "}");
            assertThat(Integer.parseInt(String.valueOf(redrive.get("maxReceiveCount")))).as("%s maxReceiveCount", shape.templateId())
                    .isEqualTo(shape.maxReceiveCount());
            assertThat(TEMPLATE.type(shape.deadLetterTemplateId())).isEqualTo("AWS::SQS::Queue");
            covered.add(shape.templateId());
            covered.add(shape.deadLetterTemplateId());
        }
        assertThat(covered).as("the template's queues, each a local queue or its DLQ")
                .containsExactlyInAnyOrderElementsOf(TEMPLATE.resourcesOfType("AWS::SQS::Queue"));
    }

    @Test
    void theQueuesAreCreatedWithTheTableSettings(Engines engines) {
        String prefix = "lq" + System.nanoTime() + "-";
        Map<String, String> urls = LocalQueues.create(engines.sqs(), prefix);
        for (LocalQueues.Shape shape : LocalQueues.SHAPES) {
            Map<QueueAttributeName, String> a = engines.sqs().getQueueAttributes(r -> r.queueUrl(urls.get(shape.name()))
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(a.get(QueueAttributeName.VISIBILITY_TIMEOUT)).as(shape.name()).isEqualTo(Long.toString(shape.visibilityTimeout().toSeconds()));
            assertThat(a.get(QueueAttributeName.DELAY_SECONDS)).as(shape.name()).isEqualTo(Long.toString(shape.delay().toSeconds()));
            var redrive = Json.read(a.get(QueueAttributeName.REDRIVE_POLICY), com.fasterxml.jackson.databind.JsonNode.class);
            assertThat(redrive.path("maxReceiveCount").asInt()).as(shape.name()).isEqualTo(shape.maxReceiveCount());
            String dlqArn = engines.sqs().getQueueAttributes(r -> r.queueUrl(urls.get(shape.name() + "-dlq"))
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            assertThat(redrive.path("deadLetterTargetArn").asText()).as(shape.name()).isEqualTo(dlqArn);
        }
        // Started again on a kept data directory: the same queues, the same settings.
        assertThat(LocalQueues.create(engines.sqs(), prefix)).isEqualTo(urls);
    }

    private static long seconds(Map<String, Object> properties, String name, long otherwise) {
        Object v = properties.get(name);
        return v == null ? otherwise : Long.parseLong(String.valueOf(v));
    }
}
