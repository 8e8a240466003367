package dev.dripline.messaging;

import dev.dripline.contacts.Contact;
import dev.dripline.queue.SqsQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput: the number a message goes from (its own, the reservation's, or the contact's sticky
 * one from the pool) and the slot its segments take from that number's and the account's token
 * buckets, kept in the shared {@link SenderState} so every sender invocation draws on the same ones.
 */
final class SendPacing {

    private static final Logger LOG = LoggerFactory.getLogger(SendPacing.class);

    /**
     * A reserved slot this close is waited for in place; a later one goes back on the queue
     * (SQS delays are whole seconds). Bounded, so an invocation never spins on a bucket.
     */
    static final Duration MAX_IN_PLACE_WAIT = Duration.ofMillis(250);

    private final SenderSettings policy;
    private final SenderState state;
    private final Supplier<SqsQueue> sendQueue;
    private final Clock clock;

    SendPacing(SenderSettings policy, SenderState state, Supplier<SqsQueue> sendQueue, Clock clock) {
        this.policy = java.util.Objects.requireNonNull(policy);
        this.state = java.util.Objects.requireNonNull(state, "the sender needs its shared state (throughput buckets, sticky numbers)");
        this.sendQueue = sendQueue;
        this.clock = clock;
    }

    /**
     * The number to send from through {@code provider}: the message's own {@code from} if it
     * names one; else the reservation's; else from the provider's pool, the contact's sticky
     * number if it is still there, else one chosen and kept for the contact. Empty: the
     * provider's default, unpaced (no pool configured). Null: the pool has no number that may
     * reach the country.
     */
    Optional<SenderNumbers.Number> senderFor(String provider, Message message, Contact contact, String country,
                                                     SendRequest request) {
        SenderNumbers numbers = policy.numbers();
        if (message.from() != null && !message.from().isBlank()) {
            return Optional.of(numbers.lookup(provider, message.from()));
        }
        if (request.reservedOn(provider)) {
            return Optional.of(numbers.lookup(provider, request.from()));
        }
        if (numbers.pool(provider).isEmpty()) {
            return Optional.empty();
        }
        List<SenderNumbers.Number> allowed = numbers.allowedFor(provider, country);
        if (allowed.isEmpty()) {
            return null;
        }
        if (allowed.size() == 1 || contact == null) {
            return Optional.of(allowed.get(0));
        }
        Optional<String> kept = state.sticky(contact.id(), provider);
        if (kept.isPresent()) {
            Optional<SenderNumbers.Number> still = allowed.stream().filter(n -> n.id().equals(kept.get())).findFirst();
            if (still.isPresent()) {
                return still;
            }
            // Its number left the pool (or cannot reach this country): choose again.
            state.unstick(contact.id(), provider);
        }
        SenderNumbers.Number chosen = allowed.get(Math.floorMod(contact.id().hashCode(), allowed.size()));
        String stuck = state.stick(contact.id(), provider, chosen.id());
        return Optional.of(allowed.stream().filter(n -> n.id().equals(stuck)).findFirst().orElse(chosen));
    }

    /**
     * Takes the message's segments from the number's (and the account's) token bucket. Empty:
     * send now (after at most {@link #MAX_IN_PLACE_WAIT}). Otherwise the message is back on the
     * queue until its reserved slot, holding the reservation and its attempt count.
     */
    Optional<Sender.Result> paced(SendRequest request, Message message, String provider, Optional<SenderNumbers.Number> number) {
        Instant now = clock.instant();
        Instant slot;
        String from;
        if (request.reservedOn(provider)) {
            slot = request.notBefore();
            from = request.from();
        } else {
            int segments = message.segments() == null ? 1 : message.segments();
            slot = now;
            from = number.map(SenderNumbers.Number::id).orElse(null);
            if (number.isPresent() && number.get().limited()) {
                slot = state.reserve(number.get().key(), number.get().rate(), segments, now);
            }
            java.util.OptionalDouble account = policy.numbers().accountRate(provider);
            if (account.isPresent()) {
                Instant accountSlot = state.reserve("account:" + provider, account.getAsDouble(), segments, now);
                slot = accountSlot.isAfter(slot) ? accountSlot : slot;
            }
            if (from == null) {
                from = "default";
            }
        }
        Duration wait = Duration.between(now, slot);
        if (wait.compareTo(MAX_IN_PLACE_WAIT) <= 0) {
            pause(wait);
            return Optional.empty();
        }
        Duration delay = queueDelay(wait.compareTo(SqsQueue.MAX_DELAY) > 0 ? SqsQueue.MAX_DELAY : wait);
        sendQueue.get().send(new SendRequest(message.id(), request.attempt(), provider, from, slot), delay);
        LOG.debug("message {}: throughput of {} reserved for {}, again in {} s", message.id(), provider, slot, delay.toSeconds());
        return Optional.of(new Sender.Result.Requeued("throughput: " + provider + " slot at " + slot, delay, request.attempt()));
    }

    /**
     * SQS delays are whole seconds: round down when the message comes back at most
     * {@link #MAX_IN_PLACE_WAIT} before its slot (it then waits the rest in place), else up. Either
     * way it is never sent before its slot, and on average a quarter second sooner after it.
     */
    static Duration queueDelay(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        long down = millis / 1000;
        return Duration.ofSeconds(millis - down * 1000 <= MAX_IN_PLACE_WAIT.toMillis() && down > 0 ? down : (millis + 999) / 1000);
    }

    private static void pause(Duration wait) {
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
