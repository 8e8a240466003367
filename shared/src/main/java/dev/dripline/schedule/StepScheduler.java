package dev.dripline.schedule;

import java.time.Instant;

/**
 * Puts {@link Due} work on the steps queue at a set time: EventBridge Scheduler on AWS, the
 * local runtime's clock-following stand-in locally.
 */
public interface StepScheduler {

    /**
     * Schedules {@code due} for {@code at}. {@code name} identifies the schedule: scheduling a
     * name that exists already does nothing, so a retried caller cannot schedule twice.
     */
    void schedule(String name, Instant at, Due due);

    /** Removes a schedule that has not fired; a name that does not exist is not an error. */
    void cancel(String name);

    /** The scheduler cannot hold more schedules (the account's quota): the caller parks the work elsewhere. */
    final class Full extends RuntimeException {
        public Full(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
