package dev.dripline.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.providers.SendOutcome;
import dev.dripline.engines.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {

    private static final SendOutcome REFUSED = new SendOutcome.Retryable("connection refused", Optional.empty());
    private static final SendOutcome TIMEOUT = new SendOutcome.Unknown("timed out");
    private static final SendOutcome OK = new SendOutcome.Accepted("id", 1, null);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-21T14:00:00Z"));
    private final CircuitBreakers breakers = new CircuitBreakers(3, Duration.ofSeconds(30), clock);

    private void fail(int times, SendOutcome how) {
        for (int i = 0; i < times; i++) {
            assertThat(breakers.allows("twilio")).isTrue();
            breakers.record("twilio", how);
        }
    }

    @Test
    void opensAfterTheConfiguredConsecutiveFailuresOnly() {
        fail(2, REFUSED);
        breakers.record("twilio", OK);
        fail(2, TIMEOUT);
        assertThat(breakers.allows("twilio")).isTrue();
        breakers.record("twilio", REFUSED);
        assertThat(breakers.allows("twilio")).isFalse();
        assertThat(breakers.allows("plivo")).isTrue();
    }

    @Test
    void aPermanentRefusalShowsTheProviderIsUp() {
        fail(2, REFUSED);
        breakers.record("twilio", new SendOutcome.Permanent("21211", "invalid", false));
        fail(2, REFUSED);
        assertThat(breakers.isOpen("twilio")).isFalse();
    }

    @Test
    void halfOpensAfterTheCoolDownWithOneTrialCall() {
        fail(3, REFUSED);
        clock.advance(Duration.ofSeconds(29));
        assertThat(breakers.allows("twilio")).isFalse();
        assertThat(breakers.untilFirstTrial(List.of("twilio"))).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(breakers.allows("twilio")).isTrue();
        assertThat(breakers.allows("twilio")).as("only one trial at a time").isFalse();
        breakers.record("twilio", OK);
        assertThat(breakers.allows("twilio")).isTrue();
        assertThat(breakers.isOpen("twilio")).isFalse();
    }

    @Test
    void aFailedTrialOpensItForAnotherCoolDown() {
        fail(3, REFUSED);
        clock.advance(Duration.ofSeconds(30));
        assertThat(breakers.allows("twilio")).isTrue();
        breakers.record("twilio", REFUSED);
        assertThat(breakers.allows("twilio")).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(breakers.allows("twilio")).isTrue();
    }

    @Test
    void aTrialWhoseCallerDiedIsGivenUpAfterACoolDown() {
        fail(3, REFUSED);
        clock.advance(Duration.ofSeconds(30));
        assertThat(breakers.allows("twilio")).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(breakers.allows("twilio")).isTrue();
    }

    @Test
    void untilFirstTrialIsEmptyWhileAnyProviderIsClosed() {
        fail(3, REFUSED);
        assertThat(breakers.untilFirstTrial(List.of("twilio", "plivo"))).isEmpty();
        assertThat(breakers.untilFirstTrial(List.of("twilio"))).contains(Duration.ofSeconds(30));
    }
}
