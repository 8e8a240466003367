package dev.dripline.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local runtime's clock: the system clock plus an offset that only moves forward. Every
 * time-based part of the runtime reads it, so advancing it by three days makes a three-day
 * drip fire in seconds.
 */
public final class MovableClock extends Clock {

    private final Clock system;
    private final AtomicLong offsetMillis;
    private final List<Runnable> onAdvance;

    public MovableClock(Clock system) {
        this(system, new AtomicLong(), new CopyOnWriteArrayList<>());
    }

    private MovableClock(Clock system, AtomicLong offsetMillis, List<Runnable> onAdvance) {
        this.system = system;
        this.offsetMillis = offsetMillis;
        this.onAdvance = onAdvance;
    }

    /** Moves the clock forward and tells the listeners (the scheduler fires what fell due). */
    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward");
        }
        offsetMillis.addAndGet(by.toMillis());
        onAdvance.forEach(Runnable::run);
        return instant();
    }

    /**
     * Moves the clock forward to at least {@code at} (the offset is whole milliseconds: rounded
     * up, so that what is due at {@code at} is due when this returns); never back.
     */
    public Instant advanceTo(Instant at) {
        Duration gap = Duration.between(instant(), at);
        if (gap.isNegative() || gap.isZero()) {
            return instant();
        }
        return advance(Duration.ofMillis((gap.toNanos() + 999_999) / 1_000_000));
    }

    public Duration offset() {
        return Duration.ofMillis(offsetMillis.get());
    }

    public void onAdvance(Runnable listener) {
        onAdvance.add(listener);
    }

    @Override
    public Instant instant() {
        return system.instant().plusMillis(offsetMillis.get());
    }

    @Override
    public long millis() {
        return system.millis() + offsetMillis.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MovableClock(system.withZone(zone), offsetMillis, onAdvance);
    }
}
