package dev.dripline.schedule;

import dev.dripline.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ServiceQuotaExceededException;

/**
 * One-time EventBridge Scheduler schedules ({@code at(...)}, UTC, no flexible window) whose
 * target is the steps queue, deleted by the service once they fire. With a dead-letter queue
 * (DRIPLINE_SCHEDULER_DEAD_LETTER_ARN, set by template.yaml) a schedule that cannot deliver to
 * the steps queue after the service's retries leaves its due work there instead of dropping it;
 * the scheduler role must be allowed to send to that queue.
 */
public final class EventBridgeScheduler implements StepScheduler {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final SchedulerClient client;
    private final String group;
    private final String stepsQueueArn;
    private final String roleArn;
    private final String deadLetterArn;

    public EventBridgeScheduler(SchedulerClient client, String group, String stepsQueueArn, String roleArn) {
        this(client, group, stepsQueueArn, roleArn, "");
    }

    /** @param deadLetterArn the SQS queue failed deliveries go to; blank for none */
    public EventBridgeScheduler(SchedulerClient client, String group, String stepsQueueArn, String roleArn, String deadLetterArn) {
        this.client = client;
        this.group = group;
        this.stepsQueueArn = stepsQueueArn;
        this.roleArn = roleArn;
        this.deadLetterArn = deadLetterArn == null ? "" : deadLetterArn.trim();
    }

    /** The schedule expression for an instant; the service's resolution is one second, rounded up. */
    static String expression(Instant at) {
        Instant second = at.getNano() == 0 ? at : at.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        return "at(" + AT.format(second) + ")";
    }

    @Override
    public void schedule(String name, Instant at, Due due) {
        try {
            client.createSchedule(r -> r.name(name)
                    .groupName(group)
                    .scheduleExpression(expression(at))
                    .scheduleExpressionTimezone("UTC")
                    .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                    .actionAfterCompletion(ActionAfterCompletion.DELETE)
                    .target(t -> {
                        t.arn(stepsQueueArn).roleArn(roleArn).input(Json.write(due));
                        if (!deadLetterArn.isEmpty()) {
                            t.deadLetterConfig(d -> d.arn(deadLetterArn));
                        }
                    }));
        } catch (ConflictException exists) {
            // Already scheduled under this name by an earlier attempt.
        } catch (ServiceQuotaExceededException full) {
            throw new Full("EventBridge Scheduler holds as many schedules as the account's quota allows", full);
        }
    }

    @Override
    public void cancel(String name) {
        try {
            client.deleteSchedule(r -> r.name(name).groupName(group));
        } catch (ResourceNotFoundException gone) {
            // Fired (and deleted itself) or never existed.
        }
    }
}
