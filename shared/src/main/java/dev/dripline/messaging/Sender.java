package dev.dripline.messaging;

import dev.dripline.compliance.QuietHours;
import dev.dripline.compliance.QuietHours.Jurisdiction;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import java.time.ZoneId;
import java.time.ZoneOffset;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.contacts.Contacts;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.logging.Masked;
import dev.dripline.providers.OutboundSms;
import dev.dripline.providers.SendLookup;
import dev.dripline.providers.SendOutcome;
import dev.dripline.providers.SmsProvider;
import dev.dripline.queue.SqsQueue;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's core: takes one queued message to a provider, at most once.
 *
 * <p>The order of checks, all in {@link #send}: (1) the record: skip it if it is settled or a
 * worker already claimed it; (2) consent: a STOP that arrived while the message waited wins;
 * (3) validity: a message that waited longer than its validity period expires unsent; (4) route:
 * the providers for the destination country; (5) breakers: a provider whose breaker is open is
 * skipped; (5a) quiet hours, for marketing: deferred to the next allowed moment, never dropped;
 * (5b) the sender number (the message's own, else the contact's sticky one from the pool) and
 * its throughput: a message whose reserved slot is later goes back on the queue with a delay,
 * keeping its reservation and its attempt count; (6) claim, with a conditional write, just
 * before the first call; (7) call, moving to
 * the next provider only on an answer that proves the message was not sent; (8) record the
 * outcome. The claim is never given back once a provider may have the message, so a redelivery
 * or a crash after the call cannot send twice. When no provider took it, the claim is given back
 * and the message is re-enqueued with a delay and attempt + 1; the request in hand is done.
 */
public final class Sender {

    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    /** The first retry's wait when the provider gave no Retry-After; doubled each round. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(15);

    /**
     * A reserved slot this close is waited for in place; a later one goes back on the queue
     * (SQS delays are whole seconds). Bounded, so an invocation never spins on a bucket.
     */
    static final Duration MAX_IN_PLACE_WAIT = Duration.ofMillis(250);

    /**
     * The EMF metric (namespace {@link dev.dripline.logging.OperationalMetrics#NAMESPACE}) counted
     * once per provider call whose outcome is unknown; the operators' alarm watches it.
     */
    public static final String OUTCOME_UNKNOWN_METRIC = "SendOutcomeUnknown";

    /** How many provider timeouts after an unknown outcome the provider is first asked about it. */
    static final int LOOKUP_AFTER_TIMEOUTS = 6;

    /** What became of one send request. Either way, the request in hand is finished with. */
    public sealed interface Result {
        record Done(String detail) implements Result {
        }

        /** Not sent this round: a new request with {@code attempt} waits {@code delay} on the queue. */
        record Requeued(String reason, Duration delay, int attempt) implements Result {
        }
    }

    private final MessageStore store;
    private final Contacts contacts;
    private final Supplier<SqsQueue> sendQueue;
    private final Map<String, SmsProvider> providers;
    private final List<String> defaultOrder;
    private final SenderSettings policy;
    private final CircuitBreakers breakers;
    private final URI publicUrl;
    private final Clock clock;
    private final SenderState state;
    private final Supplier<StepScheduler> scheduler;
    /** How long after an unknown outcome the provider's records are first asked (they lag the call). */
    private final Duration unknownCheckAfter;

    /** A sender without shared state: no throughput limits, no sticky numbers (tests of the other rules). */
    public Sender(MessageStore store, Contacts contacts, Supplier<SqsQueue> sendQueue, List<SmsProvider> providers,
                  SenderSettings policy, URI publicUrl, Clock clock) {
        this(store, contacts, sendQueue, providers, policy, publicUrl, clock, null, null);
    }

    /**
     * @param providers in DRIPLINE_PROVIDERS order: the route for a country no route names
     * @param sendQueue where a message that must wait is put back (built on first use)
     * @param state     throughput buckets and sticky numbers shared by every sender invocation;
     *                  null: neither
     * @param scheduler where a marketing message deferred by quiet hours for more than SQS's
     *                  longest delay is scheduled; null: re-enqueued every 15 minutes instead
     */
    public Sender(MessageStore store, Contacts contacts, Supplier<SqsQueue> sendQueue, List<SmsProvider> providers,
                  SenderSettings policy, URI publicUrl, Clock clock, SenderState state, Supplier<StepScheduler> scheduler) {
        this.state = state;
        this.scheduler = scheduler;
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("the sender needs at least one provider");
        }
        this.store = store;
        this.contacts = contacts;
        this.sendQueue = sendQueue;
        this.providers = new LinkedHashMap<>();
        providers.forEach(p -> this.providers.put(p.name(), p));
        this.defaultOrder = List.copyOf(this.providers.keySet());
        for (String routed : policy.routes().providersNamed()) {
            if (!this.providers.containsKey(routed)) {
                throw new IllegalArgumentException("DRIPLINE_ROUTES names '" + routed + "', which DRIPLINE_PROVIDERS does not list ("
                        + String.join(",", defaultOrder) + ")");
            }
        }
        this.policy = policy;
        this.breakers = new CircuitBreakers(policy.breakerFailures(), policy.breakerCoolDown(), clock);
        this.publicUrl = publicUrl;
        this.clock = clock;
        Duration lookupAfter = policy.providerTimeout().multipliedBy(LOOKUP_AFTER_TIMEOUTS);
        this.unknownCheckAfter = lookupAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : lookupAfter;
    }

    public Result send(SendRequest request) {
        Optional<MessageStore.Dispatchable> found = store.dispatchable(request.messageId());
        if (found.isEmpty()) {
            return new Result.Done("no such message " + request.messageId() + ": dropped");
        }
        Message message = found.get().message();
        if (MessageStore.UNKNOWN_OUTCOME.equals(found.get().dispatch())) {
            return settleUnknown(request, found.get());
        }
        // Unknown without a dispatch: the provider's records proved the call sent nothing; send it now.
        boolean sendable = message.status() == MessageStatus.ACCEPTED || message.status() == MessageStatus.UNKNOWN;
        if (found.get().dispatch() != null || !sendable) {
            return new Result.Done("already " + (found.get().dispatch() != null ? found.get().dispatch() : message.status().wire()));
        }
        Optional<Contact> contact = contacts.get(message.contactId());
        // Every category stops at an opt-out; only the confirmation of that opt-out goes through.
        if (!found.get().optOutConfirmation() && contact.map(c -> c.consent() == ConsentStatus.OPTED_OUT).orElse(false)) {
            store.recordStatus(message.id(), MessageStatus.FAILED, "opted_out", clock.instant(), "sender:opted_out");
            return new Result.Done("recipient opted out while the message waited");
        }
        if (expired(message, contact, found.get().optOutConfirmation())) {
            String code = request.waitingFor() != null ? "provider_unavailable" : "expired_before_send";
            store.recordStatus(message.id(), MessageStatus.EXPIRED, code, clock.instant(), "sender:expired");
            LOG.info("message {} to {} expired before it was sent{}", message.id(), Masked.phone(message.to()),
                    request.waitingFor() != null ? " (waiting for: " + request.waitingFor() + ")" : "");
            return new Result.Done("expired before send");
        }
        String country = contact.map(Contact::country).orElseGet(() -> countryOf(message.to()));
        if (heldByQuietHours(message, found.get().optOutConfirmation())) {
            QuietHours.Decision held = QuietHours.decide(clock.instant(), zones(contact, message.to()),
                    Jurisdiction.of(country, message.to(), contact.map(Contact::attributes).orElse(null)));
            Instant allowed = held.nextAllowedAt();
            if (allowed.isAfter(clock.instant())) {
                LOG.info("message {} held by rule {} (compliance rules {})", message.id(),
                        held.heldBy() == null ? "-" : held.heldBy().id(), held.rulesVersion());
                return deferred(request, message, allowed);
            }
        }
        List<SmsProvider> route = route(country);

        boolean claimed = false;
        boolean spendsAttempt = false;
        List<String> notTaken = new ArrayList<>();
        Optional<Duration> retryAfter = Optional.empty();
        for (SmsProvider provider : route) {
            if (!breakers.allows(provider.name())) {
                notTaken.add(provider.name() + ": circuit open");
                continue;
            }
            Optional<SenderNumbers.Number> number = senderFor(provider.name(), message, contact.orElse(null), country, request);
            if (number == null) {
                notTaken.add(provider.name() + ": no sender number may reach " + country);
                spendsAttempt = true;
                continue;
            }
            Optional<Result> wait = paced(request, message, provider.name(), number);
            if (wait.isPresent()) {
                if (claimed) {
                    // Failing over to a provider whose number must wait: nothing was sent yet.
                    store.release(message.id());
                }
                return wait.get();
            }
            String from = number.map(SenderNumbers.Number::id).orElse(message.from());
            if (!claimed) {
                if (!store.claim(message.id(), clock.instant())) {
                    return new Result.Done("claimed by another worker");
                }
                claimed = true;
            }
            Instant deadline = validUntil(message, contact, found.get().optOutConfirmation());
            SendOutcome outcome = provider.send(new OutboundSms(message.id(), from, message.to(), message.body(),
                    statusCallback(provider, message.id()), message.category() == Category.MARKETING,
                    Duration.between(clock.instant(), deadline)));
            breakers.record(provider.name(), outcome);
            if (outcome instanceof SendOutcome.Accepted accepted) {
                return handedOver(message, provider, accepted, country);
            } else if (outcome instanceof SendOutcome.Unknown unknown) {
                store.outcomeUnknown(message.id(), provider.name(), from, clock.instant(), unknown.reason());
                // Alarmed (template.yaml): such a message may or may not reach the phone until a receipt or lookup says.
                dev.dripline.logging.OperationalMetrics.count(OUTCOME_UNKNOWN_METRIC, 1);
                LOG.warn("message {} to {}: outcome at {} unknown ({}); not sent again: a receipt or a lookup in {} settles it",
                        message.id(), Masked.phone(message.to()), provider.name(), unknown.reason(), unknownCheckAfter);
                return lookupLater(message, request, clock.instant().plus(unknownCheckAfter), "outcome unknown at " + provider.name());
            } else if (outcome instanceof SendOutcome.Permanent permanent) {
                return refused(message, provider, permanent);
            } else if (outcome instanceof SendOutcome.Retryable retryable) {
                notTaken.add(provider.name() + ": " + retryable.reason());
                retryAfter = sooner(retryAfter, retryable.retryAfter());
                spendsAttempt |= retryable.spendsAttempt();
                LOG.info("message {}: {} did not take it ({}); trying the next provider", message.id(), provider.name(), retryable.reason());
            }
        }
        if (claimed) {
            store.release(message.id());
        }
        Optional<Duration> trial = breakers.untilFirstTrial(route.stream().map(SmsProvider::name).toList());
        Duration wait = claimed ? retryAfter.orElse(backoff(request.attempt())) : trial.orElse(Duration.ofSeconds(1));
        if (claimed && retryAfter.isEmpty() && trial.isPresent() && trial.get().compareTo(wait) < 0) {
            // The failure opened every circuit: come back for the trial call rather than after the longer backoff.
            wait = trial.get();
        }
        return later(request, message, "no provider took it; " + String.join("; ", notTaken), wait, spendsAttempt,
                validUntil(message, contact, found.get().optOutConfirmation()));
    }

    /**
     * A request for a message whose last call's outcome is unknown: never a second send on
     * chance. Once {@link #unknownCheckAfter} has passed since the call, the provider is asked
     * (its records, or its idempotency key): found, the message is recorded as handed over;
     * proved unsent, it is sent now (here or, since nothing went, at another provider); no answer,
     * asked again later, until the message's validity passes, when it stays {@code unknown} for good.
     */
    private Result settleUnknown(SendRequest request, MessageStore.Dispatchable found) {
        Message message = found.message();
        if (message.status().rank() > MessageStatus.UNKNOWN.rank()) {
            return new Result.Done("unknown outcome settled by a receipt: " + message.status().wire());
        }
        Instant now = clock.instant();
        Instant since = found.unknownSince() != null ? found.unknownSince() : now;
        if (now.isBefore(since.plus(unknownCheckAfter))) {
            return lookupLater(message, request, since.plus(unknownCheckAfter), "lookup not due yet");
        }
        SmsProvider provider = providers.get(message.provider());
        SendLookup answer;
        if (provider == null) {
            answer = new SendLookup.Undetermined(message.provider() + " is no longer configured", false);
        } else {
            Instant calledAt = found.claimedAt() != null ? found.claimedAt() : since;
            answer = provider.lookup(new OutboundSms(message.id(), found.sentFrom(), message.to(), message.body(),
                    statusCallback(provider, message.id())), calledAt);
        }
        if (answer instanceof SendLookup.Found f && f.outcome() instanceof SendOutcome.Accepted accepted) {
            LOG.info("message {}: unknown outcome settled, {} has it", message.id(), provider.name());
            return handedOver(message, provider, accepted, countryOf(message.to()));
        }
        if (answer instanceof SendLookup.Found f && f.outcome() instanceof SendOutcome.Permanent permanent) {
            return refused(message, provider, permanent);
        }
        if (answer instanceof SendLookup.NotSent notSent) {
            if (!store.notSentAfterAll(message.id())) {
                return new Result.Done("unknown outcome settled meanwhile");
            }
            LOG.info("message {} to {}: {} never took it ({}); sending it now", message.id(), Masked.phone(message.to()),
                    message.provider(), notSent.evidence());
            return send(new SendRequest(message.id(), request.attempt() + 1));
        }
        String reason = answer instanceof SendLookup.Undetermined u ? u.reason() : "lookup answered " + answer;
        Optional<Contact> contact = contacts.get(message.contactId());
        Instant deadline = validUntil(message, contact, found.optOutConfirmation());
        if (!now.isBefore(deadline)) {
            store.unknownForGood(message.id(), now, "validity passed without a receipt or a lookup answer (" + reason + ")");
            LOG.warn("message {} to {}: outcome at {} still unknown when its validity passed ({})", message.id(),
                    Masked.phone(message.to()), message.provider(), reason);
            return new Result.Done("unknown for good");
        }
        boolean askAgain = answer instanceof SendLookup.Undetermined u && u.askAgain();
        Instant next = askAgain ? now.plus(lookupInterval(Duration.between(since, now))) : deadline;
        return lookupLater(message, request, next.isAfter(deadline) ? deadline : next, reason);
    }

    /** Half the time the outcome has been unknown, between the first lookup's wait and SQS's longest delay. */
    private Duration lookupInterval(Duration unknownFor) {
        Duration half = unknownFor.dividedBy(2);
        return half.compareTo(unknownCheckAfter) < 0 ? unknownCheckAfter : half.compareTo(SqsQueue.MAX_DELAY) > 0 ? SqsQueue.MAX_DELAY : half;
    }

    /** Puts a lookup request on the queue for {@code at} (or the scheduler, past SQS's longest delay). */
    private Result lookupLater(Message message, SendRequest request, Instant at, String reason) {
        Duration wait = Duration.between(clock.instant(), at);
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        if (wait.compareTo(SqsQueue.MAX_DELAY) > 0 && scheduler != null) {
            scheduler.get().schedule(Messages.scheduleName(message.id()) + "-lookup-" + at.getEpochSecond(), at,
                    new Due.ScheduledSend(message.id()));
            return new Result.Done("lookup scheduled for " + at + " (" + reason + ")");
        }
        Duration delay = roundUp(wait.compareTo(SqsQueue.MAX_DELAY) > 0 ? SqsQueue.MAX_DELAY : wait);
        sendQueue.get().send(new SendRequest(message.id(), request.attempt()), delay);
        return new Result.Requeued("lookup: " + reason, delay, request.attempt());
    }

    /** The last moment the message may still be sent: see {@link #expired}. */
    private Instant validUntil(Message message, Optional<Contact> contact, boolean optOutConfirmation) {
        Instant born = message.sendAt() != null ? message.sendAt() : message.createdAt();
        if (heldByQuietHours(message, optOutConfirmation)) {
            String country = contact.map(Contact::country).orElseGet(() -> countryOf(message.to()));
            born = QuietHours.nextAllowed(born, zones(contact, message.to()),
                    Jurisdiction.of(country, message.to(), contact.map(Contact::attributes).orElse(null)));
        }
        return born.plus(policy.validity());
    }

    /**
     * Older than its validity: from when it was due (a scheduled message) or accepted, or for
     * marketing from when quiet hours first let it go (a weekend in France is not its fault).
     */
    private boolean expired(Message message, Optional<Contact> contact, boolean optOutConfirmation) {
        Instant born = message.sendAt() != null ? message.sendAt() : message.createdAt();
        if (!clock.instant().isAfter(born.plus(policy.validity()))) {
            return false;
        }
        if (heldByQuietHours(message, optOutConfirmation)) {
            String country = contact.map(Contact::country).orElseGet(() -> countryOf(message.to()));
            born = QuietHours.nextAllowed(born, zones(contact, message.to()),
                    Jurisdiction.of(country, message.to(), contact.map(Contact::attributes).orElse(null)));
        }
        return clock.instant().isAfter(born.plus(policy.validity()));
    }

    private static boolean heldByQuietHours(Message message, boolean optOutConfirmation) {
        return message.category() == Category.MARKETING && !optOutConfirmation;
    }

    /** Every zone the recipient may be in: the contact's own, else all its number's candidates. */
    public static List<ZoneId> zones(Optional<Contact> contact, String e164) {
        List<String> names = contact.map(c -> c.timeZones() != null && !c.timeZones().isEmpty() ? c.timeZones()
                : c.timeZone() == null ? List.<String>of() : List.of(c.timeZone())).orElse(List.of());
        if (names.isEmpty()) {
            try {
                names = PhoneNumber.parse(e164, null, "to").timeZones();
            } catch (RuntimeException unparseable) {
                names = List.of();
            }
        }
        List<ZoneId> zones = new ArrayList<>();
        for (String name : names) {
            try {
                zones.add(ZoneId.of(name));
            } catch (RuntimeException unknown) {
                // An unknown zone name cannot be honoured; the others still are.
            }
        }
        return zones.isEmpty() ? List.of(ZoneOffset.UTC) : zones;
    }

    /**
     * Quiet hours hold a marketing message until {@code allowed}: on the queue when that is
     * within SQS's longest delay, else as a scheduled send. Neither uses up an attempt.
     */
    private Result deferred(SendRequest request, Message message, Instant allowed) {
        dev.dripline.logging.OperationalMetrics.count("MessagesDeferred", 1);
        Duration wait = Duration.between(clock.instant(), allowed);
        if (wait.compareTo(SqsQueue.MAX_DELAY) > 0 && scheduler != null) {
            scheduler.get().schedule(Messages.scheduleName(message.id()) + "-quiet-" + allowed.getEpochSecond(), allowed,
                    new Due.ScheduledSend(message.id()));
            LOG.info("message {} to {}: quiet hours, scheduled for {}", message.id(), Masked.phone(message.to()), allowed);
            return new Result.Done("deferred by quiet hours until " + allowed);
        }
        Duration delay = roundUp(wait.compareTo(SqsQueue.MAX_DELAY) > 0 ? SqsQueue.MAX_DELAY : wait);
        sendQueue.get().send(new SendRequest(message.id(), request.attempt()), delay);
        LOG.info("message {} to {}: quiet hours, again in {} s", message.id(), Masked.phone(message.to()), delay.toSeconds());
        return new Result.Requeued("quiet hours until " + allowed, delay, request.attempt());
    }

    /**
     * The number to send from through {@code provider}: the message's own {@code from} if it
     * names one; else the reservation's; else from the provider's pool, the contact's sticky
     * number if it is still there, else one chosen and kept for the contact. Empty: the
     * provider's default, unpaced (no pool configured). Null: the pool has no number that may
     * reach the country.
     */
    private Optional<SenderNumbers.Number> senderFor(String provider, Message message, Contact contact, String country,
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
        if (allowed.size() == 1 || state == null || contact == null) {
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
    private Optional<Result> paced(SendRequest request, Message message, String provider, Optional<SenderNumbers.Number> number) {
        if (state == null) {
            return Optional.empty();
        }
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
        return Optional.of(new Result.Requeued("throughput: " + provider + " slot at " + slot, delay, request.attempt()));
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

    /** SQS delays are whole seconds: round up, so a message is never sent before its slot. */
    private static Duration roundUp(Duration d) {
        long millis = Math.max(0, d.toMillis());
        return Duration.ofSeconds((millis + 999) / 1000);
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

    private List<SmsProvider> route(String country) {
        return policy.routes().providersFor(country, defaultOrder).stream().map(providers::get).toList();
    }

    private Result handedOver(Message message, SmsProvider provider, SendOutcome.Accepted accepted, String country) {
        Integer parts = accepted.parts() != null ? accepted.parts() : message.segments();
        BigDecimal cost = accepted.price() != null ? accepted.price()
                : policy.prices().estimate(provider.name(), country, parts).orElse(null);
        store.handedOver(message.id(), provider.name(), accepted.providerMessageId(), accepted.parts(), cost, clock.instant());
        LOG.info("message {} to {} handed to {} as {}", message.id(), Masked.phone(message.to()), provider.name(),
                accepted.providerMessageId());
        return new Result.Done("handed to " + provider.name());
    }

    /**
     * A permanent refusal fails the message. When the provider says the recipient blocked us,
     * that is an opt-out like a STOP: written to the consent ledger first, so that nothing else
     * is sent to the number.
     */
    private Result refused(Message message, SmsProvider provider, SendOutcome.Permanent permanent) {
        if (permanent.recipientOptedOut()) {
            try {
                contacts.upsert(new ContactInput(message.to(), null, null, null, null, null, null, null,
                        new ContactInput.ConsentInput("opted_out", "provider_report", clock.instant(),
                                provider.name() + " " + permanent.errorCode() + ": " + permanent.reason(), null, null)),
                        provider.name());
            } catch (RuntimeException ledgerDown) {
                // The provider keeps blocking the number meanwhile; fail the message regardless.
                LOG.error("message {} to {}: opt-out reported by {} could not be written to the ledger: {}", message.id(),
                        Masked.phone(message.to()), provider.name(), ledgerDown.toString());
            }
        }
        store.recordStatus(message.id(), MessageStatus.FAILED, permanent.errorCode(), clock.instant(),
                "sender:" + provider.name() + ":" + permanent.errorCode());
        LOG.info("message {} to {} refused by {}: code {}{}", message.id(), Masked.phone(message.to()), provider.name(),
                permanent.errorCode(), permanent.recipientOptedOut() ? " (recipient opted out)" : "");
        return new Result.Done("refused by " + provider.name());
    }

    /**
     * Re-enqueues the message after {@code wait}. Only a refusal that waiting will not cure uses
     * up an attempt (and fails the message after its last); a provider that is down, busy or
     * behind an open circuit only makes it wait, never past {@code deadline} (its validity):
     * then it expires with the reason it waited for.
     */
    private Result later(SendRequest request, Message message, String reason, Duration wait, boolean spendsAttempt, Instant deadline) {
        int next = spendsAttempt ? request.attempt() + 1 : request.attempt();
        if (spendsAttempt && next >= policy.maxAttempts()) {
            store.recordStatus(message.id(), MessageStatus.FAILED, "retries_exhausted", clock.instant(), "sender:retries_exhausted");
            LOG.warn("message {} to {} failed after {} attempts: {}", message.id(), Masked.phone(message.to()), next, reason);
            return new Result.Done("retries exhausted");
        }
        Instant now = clock.instant();
        if (!now.isBefore(deadline)) {
            store.recordStatus(message.id(), MessageStatus.EXPIRED, "provider_unavailable", now, "sender:expired");
            LOG.warn("message {} to {} expired waiting for a provider: {}", message.id(), Masked.phone(message.to()), reason);
            return new Result.Done("expired waiting for a provider");
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
        return new Result.Requeued(reason, delay, next);
    }

    /** 15 s, 30 s, 60 s... capped at SQS's longest delay (15 minutes). */
    static Duration backoff(int attempt) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(attempt, 16);
        return Duration.ofSeconds(Math.min(seconds, SqsQueue.MAX_DELAY.toSeconds()));
    }

    private static Optional<Duration> sooner(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().compareTo(b.get()) <= 0 ? a : b;
    }

    private static String countryOf(String e164) {
        try {
            return PhoneNumber.parse(e164, null, "to").country();
        } catch (RuntimeException unparseable) {
            return null;
        }
    }

    /** Where the provider reports delivery; our id rides along so the receipt needs no lookup. */
    private URI statusCallback(SmsProvider provider, String messageId) {
        return URI.create(publicUrl + "/webhooks/" + provider.name() + "/status?m=" + messageId);
    }
}
