package dev.dripline.engines;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A clock a test moves by hand (no sleeps); the core takes it wherever it takes a {@link Clock}. */
public final class TestClock extends Clock {

    private volatile Instant now;
    private volatile Duration tick = Duration.ZERO;

    public TestClock(Instant now) {
        this.now = now;
    }

    /**
     * The start of an hour a day ahead of the real clock: DynamoDB Local's TTL deletes items whose
     * expiresAt has passed in real time, at moments of its choosing (a counter or a code would
     * vanish mid-test on a clock in the past).
     */
    public static TestClock inTheFuture() {
        return new TestClock(Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS));
    }

    public void set(Instant at) {
        now = at;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** From now on every read moves the clock on by {@code tick}: work that takes time, without sleeping. */
    public void tickOnEachRead(Duration tick) {
        this.tick = tick;
    }

    @Override
    public synchronized Instant instant() {
        Instant at = now;
        if (!tick.isZero()) {
            now = now.plus(tick);
        }
        return at;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
