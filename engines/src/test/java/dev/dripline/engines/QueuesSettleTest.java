package dev.dripline.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@link Engines#awaitSettled}: settled means no message waiting and none being handled. */
@ExtendWith(EnginesExtension.class)
class QueuesSettleTest {

    @Test
    void aWaitingOrInFlightMessageKeepsTheQueueUnsettledUntilItIsDeleted(Engines engines) throws Exception {
        String quiet = engines.sqs().createQueue(r -> r.queueName("settle-quiet-" + System.nanoTime())).queueUrl();
        String work = engines.sqs().createQueue(r -> r.queueName("settle-work-" + System.nanoTime())).queueUrl();
        engines.awaitSettled(Duration.ofSeconds(5), List.of(quiet, work));

        engines.sqs().sendMessage(r -> r.queueUrl(work).messageBody("due"));
        assertThatThrownBy(() -> engines.awaitSettled(Duration.ofMillis(200), List.of(quiet, work)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("settle-work-").hasMessageContaining("1 visible")
                .hasMessageNotContaining("settle-quiet-");

        Message taken = engines.sqs().receiveMessage(r -> r.queueUrl(work).visibilityTimeout(60)).messages().get(0);
        assertThatThrownBy(() -> engines.awaitSettled(Duration.ofMillis(200), List.of(work)))
                .hasMessageContaining("1 in flight");

        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> engines.awaitSettled(Duration.ofSeconds(10), List.of(work)));
        Thread.sleep(300);
        assertThat(waiting).as("still handled: not settled").isNotDone();
        engines.sqs().deleteMessage(r -> r.queueUrl(work).receiptHandle(taken.receiptHandle()));
        waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
}
