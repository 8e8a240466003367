package dev.dripline.schedule;

import dev.dripline.config.Env;

/**
 * Where EventBridge Scheduler puts due work: its schedule group, the steps queue, the role it
 * sends with, and the dead-letter queue of failed deliveries (AWS only).
 */
public record SchedulerSettings(String group, String stepsQueueArn, String roleArn, String deadLetterArn) {

    public static SchedulerSettings from(Env env) {
        return new SchedulerSettings(env.string("DRIPLINE_SCHEDULE_GROUP", "default"), env.string("DRIPLINE_STEPS_QUEUE_ARN", ""),
                env.string("DRIPLINE_SCHEDULER_ROLE_ARN", ""), env.string("DRIPLINE_SCHEDULER_DEAD_LETTER_ARN", ""));
    }
}
