package dev.dripline.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.queue.SqsQueue;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(EnginesExtension.class)
class TimersTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final List<String> scheduled = new ArrayList<>();

    private String queue(Engines engines) {
        return engines.sqs().createQueue(r -> r.queueName("timers-" + System.nanoTime())).queueUrl();
    }

    private int count(Engines engines, String url, QueueAttributeName attribute) {
        return Integer.parseInt(engines.sqs().getQueueAttributes(r -> r.queueUrl(url).attributeNames(attribute)).attributes().get(attribute));
    }

    private StepScheduler recording(boolean full) {
        return new StepScheduler() {
            @Override
            public void schedule(String name, Instant at, Due due) {
                if (full) {
                    throw new Full("quota", null);
                }
                scheduled.add(name);
            }

            @Override
            public void cancel(String name) {
            }
        };
    }

    @Test
    void shortWaitsRideTheQueueAndLongOnesBecomeSchedules(Engines engines) {
        String url = queue(engines);
        Timers timers = new Timers(() -> recording(false), () -> new SqsQueue(engines.sqs(), url), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofMinutes(15));
        Due due = new Due.Resume("cmp_x");
        timers.at("now", NOW, due);
        timers.at("soon", NOW.plus(Duration.ofMinutes(10)), due);
        timers.at("later", NOW.plus(Duration.ofHours(3)), due);
        assertThat(scheduled).containsExactly("later");
        assertThat(count(engines, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo(1);
        assertThat(count(engines, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).isEqualTo(1);
    }

    @Test
    void whenTheSchedulerIsFullTheWorkIsParkedOnTheQueueNotLost(Engines engines) {
        String url = queue(engines);
        Timers timers = new Timers(() -> recording(true), () -> new SqsQueue(engines.sqs(), url), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofMinutes(15));
        timers.at("later", NOW.plus(Duration.ofDays(2)), new Due.Resume("cmp_x"));
        assertThat(count(engines, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).isEqualTo(1);
    }
}
