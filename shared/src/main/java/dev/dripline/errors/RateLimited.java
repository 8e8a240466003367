package dev.dripline.errors;

import java.time.Duration;

/** Too many requests for a limit that refills with time. Maps to 429 with {@code Retry-After}. */
public final class RateLimited extends DriplineError {

    private final Duration retryAfter;

    public RateLimited(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    }

    /** When the limit lets the caller in again; whole seconds, rounded up, at least one. */
    public long retryAfterSeconds() {
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    @Override
    public Kind kind() {
        return Kind.RATE_LIMITED;
    }
}
