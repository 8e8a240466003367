package dev.dripline.messaging;

import dev.dripline.providers.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One circuit breaker per provider, in memory: each Lambda instance (or local runtime) learns on
 * its own that a provider is down, at the cost of {@code failures} calls each. Shared state
 * (DynamoDB) would cost a write per call on the send path for a small saving.
 *
 * <p>Closed: every call goes through. After {@code failures} consecutive failures (a retryable
 * answer, which covers connection failures, or an unknown outcome, i.e. timeouts) it opens: the
 * provider is skipped. After {@code coolDown} it is half-open: one caller gets a trial call; a
 * success closes it, a failure opens it again for another cool-down. Any answer that shows the
 * provider working (accepted, or a permanent refusal of one message) counts as a success.
 */
public final class CircuitBreakers {

    /** Opens after this many consecutive failures. */
    public static final int DEFAULT_FAILURES = 5;
    /** Stays open this long before a trial call. */
    public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(30);

    private final int failures;
    private final Duration coolDown;
    private final Clock clock;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

    public CircuitBreakers(int failures, Duration coolDown, Clock clock) {
        if (failures < 1) {
            throw new IllegalArgumentException("a breaker opens after at least one failure");
        }
        this.failures = failures;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /**
     * Whether {@code provider} may be called now. In the half-open state only the first caller
     * is let through (it then owns the trial); the rest are told no until its answer.
     */
    public boolean allows(String provider) {
        return breaker(provider).allows(clock.instant());
    }

    /** Counts an outcome of a call that {@link #allows} let through. */
    public void record(String provider, SendOutcome outcome) {
        boolean failed = outcome instanceof SendOutcome.Retryable || outcome instanceof SendOutcome.Unknown;
        breaker(provider).record(failed, clock.instant());
    }

    /** How long until the first of these providers may be tried again; empty if one is closed. */
    public Optional<Duration> untilFirstTrial(Iterable<String> providers) {
        Instant now = clock.instant();
        Duration soonest = null;
        for (String p : providers) {
            Duration wait = breaker(p).waitFrom(now);
            if (soonest == null || wait.compareTo(soonest) < 0) {
                soonest = wait;
            }
        }
        return soonest == null || soonest.isZero() ? Optional.empty() : Optional.of(soonest);
    }

    public boolean isOpen(String provider) {
        return breaker(provider).openedAt != null;
    }

    private Breaker breaker(String provider) {
        return breakers.computeIfAbsent(provider, p -> new Breaker());
    }

    private final class Breaker {
        private int consecutiveFailures;
        private Instant openedAt;
        /** When the half-open trial call was let through; null when none is out. */
        private Instant trialSince;

        synchronized boolean allows(Instant now) {
            if (openedAt == null) {
                return true;
            }
            if (now.isBefore(openedAt.plus(coolDown))) {
                return false;
            }
            // A trial whose caller died never reports: after another cool-down, let one more through.
            if (trialSince != null && now.isBefore(trialSince.plus(coolDown))) {
                return false;
            }
            trialSince = now;
            return true;
        }

        synchronized void record(boolean failed, Instant now) {
            trialSince = null;
            if (!failed) {
                consecutiveFailures = 0;
                openedAt = null;
                return;
            }
            consecutiveFailures++;
            if (openedAt != null || consecutiveFailures >= failures) {
                openedAt = now;
            }
        }

        synchronized Duration waitFrom(Instant now) {
            if (openedAt == null) {
                return Duration.ZERO;
            }
            Instant next = openedAt.plus(coolDown);
            if (trialSince != null && trialSince.plus(coolDown).isAfter(next)) {
                next = trialSince.plus(coolDown);
            }
            return next.isAfter(now) ? Duration.between(now, next) : Duration.ZERO;
        }
    }
}
