package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MovableClockTest {

    private final MovableClock clock = new MovableClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00.000000500Z"), ZoneOffset.UTC));

    @Test
    void advanceToReachesTheInstantEvenBetweenMilliseconds() {
        Instant due = Instant.parse("2026-01-01T00:00:00.100000900Z");
        clock.advanceTo(due);
        assertThat(clock.instant()).as("what is due at that instant is due now").isAfterOrEqualTo(due);
        assertThat(Duration.between(due, clock.instant())).isLessThan(Duration.ofMillis(1));
    }

    @Test
    void advanceToThePastLeavesTheClockWhereItIs() {
        clock.advance(Duration.ofHours(1));
        Instant before = clock.instant();
        clock.advanceTo(before.minusSeconds(5));
        assertThat(clock.instant()).isEqualTo(before);
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
