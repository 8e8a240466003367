package dev.dripline.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /local/clock/advance}: time passing as it would, only faster. The movable clock
 * goes forward through the due schedules in their order, stopping at each, and the work each
 * stop starts (steps, the messages they queue) runs before the clock moves on; schedules that fall
 * due while it runs (the real clock goes on too) are taken at the same stop, so many schedules
 * close together make few stops. So a step due at 09:00 runs at 09:00 simulated time and its
 * message reaches the handset stamped 09:00, and a drip of several days runs whole in one advance, each wait measured
 * from the step before it, as on AWS. A plain jump ({@link MovableClock#advance}) would run
 * everything due at the end time instead, stamped with it.
 *
 * <p>Bounded: after {@link #MAX_STOPS} stops (work that keeps scheduling itself) or a stop whose
 * work is not done in {@link #QUIET_TIMEOUT}, the clock goes the rest of the way at once.
 */
public final class Timeline {

    private static final Logger LOG = LoggerFactory.getLogger(Timeline.class);
    static final int MAX_STOPS = 10_000;
    static final Duration QUIET_TIMEOUT = Duration.ofSeconds(30);

    /** What one advance did: where the clock is, how many stops it made, whether it had to jump. */
    public record Advanced(Instant now, Duration offset, int stops, boolean jumped) {
    }

    private final MovableClock clock;
    private volatile LocalScheduler scheduler;
    /** Nothing waiting on or being handled from the steps and send queues. */
    private volatile BooleanSupplier quiet;

    public Timeline(MovableClock clock) {
        this.clock = clock;
    }

    /** The runtime's moving parts, known once the engines are up. */
    void attach(LocalScheduler scheduler, BooleanSupplier quiet) {
        this.quiet = quiet;
        this.scheduler = scheduler;
    }

    public MovableClock clock() {
        return clock;
    }

    /** One advance at a time: two interleaved would each stop where the other had gone. */
    public synchronized Advanced advance(Duration by) {
        Instant target = clock.instant().plus(by);
        LocalScheduler schedules = scheduler;
        int stops = 0;
        boolean jumped = false;
        if (schedules != null) {
            // What was asked before the advance (an event, an enrolment) happens before time moves.
            awaitQuiet();
        }
        while (schedules != null) {
            Optional<Instant> next = schedules.firstDue().filter(at -> at.isBefore(target));
            if (next.isEmpty()) {
                break;
            }
            if (stops == MAX_STOPS) {
                LOG.warn("clock advance: {} stops and work still due before {}; the rest at once", MAX_STOPS, target);
                jumped = true;
                break;
            }
            Instant stop = next.get();
            clock.advanceTo(stop);
            schedules.fireDue();
            stops++;
            if (!awaitQuiet()) {
                LOG.warn("clock advance: the work due at {} was not done in {}; the rest at once", stop, QUIET_TIMEOUT);
                jumped = true;
                break;
            }
        }
        clock.advanceTo(target);
        if (schedules != null) {
            schedules.fireDue();
            awaitQuiet();
        }
        return new Advanced(clock.instant(), clock.offset(), stops, jumped);
    }

    /** Quiet twice in a row, a moment apart: a poller between a receive and its hand-over shows on the queue. */
    private boolean awaitQuiet() {
        long deadline = System.nanoTime() + QUIET_TIMEOUT.toNanos();
        int quietInARow = 0;
        while (System.nanoTime() < deadline) {
            quietInARow = quiet.getAsBoolean() ? quietInARow + 1 : 0;
            if (quietInARow == 2) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
