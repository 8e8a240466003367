package dev.dripline.messaging;

import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import dev.dripline.logging.Masked;
import dev.dripline.queue.SqsQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message that is not sent now goes back: on the send queue with a delay (whole seconds, at most
 * SQS's longest), or past that to the scheduler; a retry that spends an attempt fails the message
 * after its last, and no wait outlives the message's validity.
 */
final class SendQueueing {

    private static final Logger LOG = LoggerFactory.getLogger(SendQueueing.class);

    /** The first retry's wait when the provider gave no Retry-After; doubled each round. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(15);

    private final MessageStore store;
    private final Supplier<SqsQueue> sendQueue;
    private final Supplier<StepScheduler> scheduler;
    private final SenderSettings policy;
    private final Clock clock;

    SendQueueing(MessageStore store, Supplier<SqsQueue> sendQueue, Supplier<StepScheduler> scheduler, SenderSettings policy,
                 Clock clock) {
        this.store = store;
        this.sendQueue = sendQueue;
        this.scheduler = java.util.Objects.requireNonNull(scheduler, "the sender needs a scheduler for waits past SQS's longest delay");
        this.policy = policy;
        this.clock = clock;
    }

    /** Puts a lookup request on the queue for {@code at} (or the scheduler, past SQS's longest delay). */
    Sender.Result lookupLater(Message message, SendRequest request, Instant at, String reason) {
        Duration wait = Duration.between(clock.instant(), at);
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        if (wait.compareTo(SqsQueue.MAX_DELAY) > 0) {
            scheduler.get().schedule(Messages.scheduleName(message.id()) + "-lookup-" + at.getEpochSecond(), at,
                    new Due.ScheduledSend(message.id()));
            return new Sender.Result.Done("lookup scheduled for " + at + " (" + reason + ")");
        }
        Duration delay = roundUp(wait.compareTo(SqsQueue.MAX_DELAY) > 0 ? SqsQueue.MAX_DELAY : wait);
        sendQueue.get().send(new SendRequest(message.id(), request.attempt()), delay);
        return new Sender.Result.Requeued("lookup: " + reason, delay, request.attempt());
    }

    /**
     * Quiet hours hold a marketing message until {@code allowed}: on the queue when that is
     * within SQS's longest delay, else as a scheduled send. Neither uses up an attempt.
     */
    Sender.Result deferred(SendRequest request, Message message, Instant allowed) {
        dev.dripline.logging.OperationalMetrics.count("MessagesDeferred", 1);
        Duration wait = Duration.between(clock.instant(), allowed);
        if (wait.compareTo(SqsQueue.MAX_DELAY) > 0) {
            scheduler.get().schedule(Messages.scheduleName(message.id()) + "-quiet-" + allowed.getEpochSecond(), allowed,
                    new Due.ScheduledSend(message.id()));
            LOG.info("message {} to {}: quiet hours, scheduled for {}", message.id(), Masked.phone(message.to()), allowed);
            return new Sender.Result.Done("deferred by quiet hours until " + allowed);
        }
        Duration delay = roundUp(wait.compareTo(SqsQueue.MAX_DELAY) > 0 ? SqsQueue.MAX_DELAY : wait);
        sendQueue.get().send(new SendRequest(message.id(), request.attempt()), delay);
        LOG.info("message {} to {}: quiet hours, again in {} s", message.id(), Masked.phone(message.to()), delay.toSeconds());
        return new Sender.Result.Requeued("quiet hours until " + allowed, delay, request.attempt());
    }

    /**
     * Re-enqueues the message after {@code wait}. Only a refusal that waiting will not cure uses
     * up an attempt (and fails the message after its last); a provider that is down, busy or
     * behind an open circuit only makes it wait, never past {@code deadline} (its validity):
     * then it expires with the reason it waited for.
     */
    Sender.Result later(SendRequest request, Message message, String reason, Duration wait, boolean spendsAttempt, Instant deadline) {
        int next = spendsAttempt ? request.attempt() + 1 : request.attempt();
        if (spendsAttempt && next >= policy.maxAttempts()) {
            store.recordStatus(message.id(), MessageStatus.FAILED, "retries_exhausted", clock.instant(), "sender:retries_exhausted");
            LOG.warn("message {} to {} failed after {} attempts: {}", message.id(), Masked.phone(message.to()), next, reason);
            return new Sender.Result.Done("retries exhausted");
        }
        Instant now = clock.instant();
        if (!now.isBefore(deadline)) {
            store.recordStatus(message.id(), MessageStatus.EXPIRED, "provider_unavailable", now, "sender:expired");
            LOG.warn("message {} to {} expired waiting for a provider: {}", message.id(), Masked.phone(message.to()), reason);
            return new Sender.Result.Done("expired waiting for a provider");
        }
        Duration delay = wait.compareTo(SqsQueue.MAX_DELAY) > 0 ? SqsQueue.MAX_DELAY : wait;
        Duration left = Duration.between(now, deadline);
        if (delay.compareTo(left) > 0) {
            // One last try at the end of its validity rather than a wait that outlives it.
            delay = left;
        }
        delay = roundUp(delay);
        sendQueue.get().send(new SendRequest(message.id(), next, null, null, null, dev.dripline.logging.Correlation.current(), reason),
                delay);
        LOG.info("message {}: attempt {} in {} s ({})", message.id(), next, delay.toSeconds(), reason);
        dev.dripline.logging.OperationalMetrics.count("MessagesRetried", 1);
        return new Sender.Result.Requeued(reason, delay, next);
    }

    /** 15 s, 30 s, 60 s... capped at SQS's longest delay (15 minutes). */
    static Duration backoff(int attempt) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(attempt, 16);
        return Duration.ofSeconds(Math.min(seconds, SqsQueue.MAX_DELAY.toSeconds()));
    }

    /** SQS delays are whole seconds: round up, so a message is never sent before its slot. */
    static Duration roundUp(Duration d) {
        long millis = Math.max(0, d.toMillis());
        return Duration.ofSeconds((millis + 999) / 1000);
    }
}
