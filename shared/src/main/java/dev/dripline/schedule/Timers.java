package dev.dripline.schedule;

import dev.dripline.queue.SqsQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Puts {@link Due} work on the steps queue at its time, as cheaply as that time allows: now, on
 * the queue at once; within {@code queueUpTo} (at most SQS's 15 minutes), on the queue with a
 * delivery delay; later, as a one-time schedule. Short waits (a step right after another, a
 * reply's branch) thus cost one SQS message and no schedule; only real waits (hours, days)
 * become EventBridge schedules, which is what keeps millions of pending steps within the
 * Scheduler's quotas (README: scheduling at scale).
 *
 * <p>A delayed queue message cannot be deleted; the step it carries checks that its enrolment
 * is still at the token it was scheduled for, so a cancelled one does nothing.
 */
public final class Timers {

    private final Supplier<StepScheduler> scheduler;
    private final Supplier<SqsQueue> stepsQueue;
    private final Clock clock;
    private final Duration queueUpTo;

    /**
     * @param queueUpTo waits up to this long ride on the queue's delay; zero sends every future
     *                  one through the scheduler (the local runtime, whose clock moves)
     */
    public Timers(Supplier<StepScheduler> scheduler, Supplier<SqsQueue> stepsQueue, Clock clock, Duration queueUpTo) {
        this.scheduler = scheduler;
        this.stepsQueue = stepsQueue;
        this.clock = clock;
        this.queueUpTo = queueUpTo.compareTo(SqsQueue.MAX_DELAY) > 0 ? SqsQueue.MAX_DELAY : queueUpTo;
    }

    /** Delivers {@code due} at {@code at} (at once if that is past); {@code name} identifies a schedule, if one is made. */
    public void at(String name, Instant at, Due due) {
        Duration wait = Duration.between(clock.instant(), at);
        if (wait.isNegative() || wait.isZero()) {
            stepsQueue.get().send(due);
        } else if (wait.compareTo(queueUpTo) <= 0) {
            // Whole seconds, rounded up: never early.
            long seconds = (wait.toMillis() + 999) / 1000;
            stepsQueue.get().send(due, Duration.ofSeconds(seconds));
        } else {
            try {
                scheduler.get().schedule(name, at, due);
            } catch (StepScheduler.Full full) {
                // Parked on the queue for its longest delay; the work, delivered early, schedules itself again.
                stepsQueue.get().send(due, SqsQueue.MAX_DELAY);
            }
        }
    }

    /** Removes a schedule if one was made under {@code name}; queued work is left to find itself stale. */
    public void cancel(String name) {
        scheduler.get().cancel(name);
    }

    /** Delivers now. */
    public void now(Due due) {
        stepsQueue.get().send(due);
    }
}
