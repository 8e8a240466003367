package dev.dripline.providers;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/** What a provider answered, in the one model the sender acts on. */
public sealed interface SendOutcome {

    /** The provider took the message. Parts and price where the provider says them. */
    record Accepted(String providerMessageId, Integer parts, BigDecimal price) implements SendOutcome {
    }

    /**
     * The provider did not take it and said so before sending (429, throttling, 5xx known to be
     * unsent, connection refused): safe to try again, here or at the next provider.
     *
     * @param spendsAttempt whether this answer counts against DRIPLINE_SEND_MAX_ATTEMPTS: only for
     *                      a refusal that waiting will not cure (credentials refused, spend limit).
     *                      A provider that is down or busy says nothing about the message: its
     *                      wait is bounded by the message's validity instead.
     */
    record Retryable(String reason, Optional<Duration> retryAfter, boolean spendsAttempt) implements SendOutcome {

        /** A provider that is down or busy: the message waits without using up an attempt. */
        public Retryable(String reason, Optional<Duration> retryAfter) {
            this(reason, retryAfter, false);
        }

        /** A refusal that will not pass by itself: counts as an attempt. */
        public static Retryable refused(String reason) {
            return new Retryable(reason, Optional.empty(), true);
        }
    }

    /** It will never be sent as asked (invalid number, blocked, opted out at the provider...). */
    record Permanent(String errorCode, String reason, boolean recipientOptedOut) implements SendOutcome {
    }

    /**
     * The request left and no answer came back (a timeout, a reset mid-response): it may have
     * been sent. Never retried and never failed over: that is how a customer gets a text twice.
     */
    record Unknown(String reason) implements SendOutcome {
    }
}
