package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.json.Json;
import dev.dripline.queue.SqsQueue;
import dev.dripline.schedule.Due;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The steps queue's delivery delays follow the movable clock: an advance delivers what it passes. */
@ExtendWith(EnginesExtension.class)
class QueueDelaysTest {

    @Test
    void aDelayedStepWaitsForTheMovableClockAndOtherSendsGoStraightToTheQueue(Engines engines) {
        String steps = engines.sqs().createQueue(r -> r.queueName("qd-steps-" + System.nanoTime())).queueUrl();
        String send = engines.sqs().createQueue(r -> r.queueName("qd-send-" + System.nanoTime())).queueUrl();
        MovableClock clock = new MovableClock(Clock.systemUTC());
        try (LocalScheduler scheduler = new LocalScheduler(clock, new SqsQueue(engines.sqs(), steps), Duration.ofMillis(50))) {
            SqsClient sqs = QueueDelays.onTheMovableClock(engines.sqs(), steps, scheduler, clock);
            Due.Step step = new Due.Step("ct_1", "cmp_1", "en_1", 7);

            new SqsQueue(sqs, steps).send(step, Duration.ofMinutes(10));
            new SqsQueue(sqs, steps).send(new Due.Resume("cmp_2"));
            sqs.sendMessage(r -> r.queueUrl(send).messageBody("{\"messageId\":\"msg_1\"}").delaySeconds(1));

            assertThat(bodies(engines, steps)).as("only the undelayed work is on the queue").containsExactly(Json.write(new Due.Resume("cmp_2")));
            assertThat(scheduler.pending()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(9));
            scheduler.fireDue();
            assertThat(bodies(engines, steps)).as("not before its time").isEmpty();

            clock.advance(Duration.ofMinutes(1));
            scheduler.fireDue();
            assertThat(bodies(engines, steps)).containsExactly(Json.write(step));
            assertThat(scheduler.pending()).isZero();
            assertThat(engines.sqs().receiveMessage(r -> r.queueUrl(send).waitTimeSeconds(3)).messages())
                    .as("another queue's delay is SQS's").singleElement().satisfies(m -> assertThat(m.body()).contains("msg_1"));
        }
    }

    private static List<String> bodies(Engines engines, String queue) {
        List<String> out = engines.sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0)).messages().stream()
                .map(m -> {
                    engines.sqs().deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle()));
                    return m.body();
                }).toList();
        return out;
    }
}
