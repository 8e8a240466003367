package dev.dripline.messaging;

import dev.dripline.compliance.QuietHours;
import dev.dripline.compliance.QuietHours.Jurisdiction;
import dev.dripline.schedule.StepScheduler;
import java.time.ZoneId;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.contacts.Contacts;
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
    /** How long after an unknown outcome the provider's records are first asked (they lag the call). */
    private final Duration unknownCheckAfter;

    private final SendWindow window;
    private final SendPacing pacing;
    private final SendQueueing queueing;
    /** Signs stored media's fetch URLs for the provider; null in a sender built without media. */
    private final dev.dripline.media.MediaAttachments media;

    /**
     * @param providers in DRIPLINE_PROVIDERS order: the route for a country no route names
     * @param sendQueue where a message that must wait is put back (built on first use)
     * @param state     throughput buckets and sticky numbers shared by every sender invocation
     * @param scheduler where a wait past SQS's longest delay is scheduled (quiet hours, lookups)
     */
    public Sender(MessageStore store, Contacts contacts, Supplier<SqsQueue> sendQueue, List<SmsProvider> providers,
                  SenderSettings policy, URI publicUrl, Clock clock, SenderState state, Supplier<StepScheduler> scheduler) {
        this(store, contacts, sendQueue, providers, policy, publicUrl, clock, state, scheduler, null);
    }

    /** @param media what hands stored media to providers (signed fetch URLs, S3 URIs) */
    public Sender(MessageStore store, Contacts contacts, Supplier<SqsQueue> sendQueue, List<SmsProvider> providers,
                  SenderSettings policy, URI publicUrl, Clock clock, SenderState state, Supplier<StepScheduler> scheduler,
                  dev.dripline.media.MediaAttachments media) {
        this.media = media;
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
        this.window = new SendWindow(policy, clock);
        this.pacing = new SendPacing(policy, state, sendQueue, clock);
        this.queueing = new SendQueueing(store, sendQueue, scheduler, policy, clock);
    }

    /** Every zone the recipient may be in: the contact's own, else all its number's candidates. */
    public static List<ZoneId> zones(Optional<Contact> contact, String e164) {
        return SendWindow.zones(contact, e164);
    }

    /** 15 s, 30 s, 60 s... capped at SQS's longest delay (15 minutes). */
    static Duration backoff(int attempt) {
        return SendQueueing.backoff(attempt);
    }

    public Result send(SendRequest request) {
        // The request the API queued with a message it had just stored carries its card: no read;
        // the claim below checks what the card cannot know (taken, settled) and answers the stored message.
        boolean carded = request.card() != null && request.attempt() == 0;
        Optional<MessageStore.Dispatchable> found = carded
                ? Optional.of(new MessageStore.Dispatchable(request.card().message(request.messageId()), null, false))
                : store.dispatchable(request.messageId());
        if (found.isEmpty()) {
            return new Result.Done("no such message " + request.messageId() + ": dropped");
        }
        Message message = found.get().message();
        Message checked = message;
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
        // A message of a topic the recipient withdrew from (a STOP scoped to that topic, the API) stops too.
        if (!found.get().optOutConfirmation() && checked.topic() != null
                && contact.map(c -> c.consentFor(checked.topic()) == ConsentStatus.OPTED_OUT).orElse(false)) {
            store.recordStatus(message.id(), MessageStatus.FAILED, "topic_withdrawn", clock.instant(), "sender:topic_withdrawn");
            return new Result.Done("recipient withdrew topic " + message.topic() + " while the message waited");
        }
        if (window.expired(message, contact, found.get().optOutConfirmation())) {
            String code = request.waitingFor() != null ? "provider_unavailable" : "expired_before_send";
            store.recordStatus(message.id(), MessageStatus.EXPIRED, code, clock.instant(), "sender:expired");
            LOG.info("message {} to {} expired before it was sent{}", message.id(), Masked.phone(message.to()),
                    request.waitingFor() != null ? " (waiting for: " + request.waitingFor() + ")" : "");
            return new Result.Done("expired before send");
        }
        String country = contact.map(Contact::country).orElseGet(() -> SendWindow.countryOf(checked.to()));
        if (SendWindow.heldByQuietHours(message, found.get().optOutConfirmation())) {
            QuietHours.Decision held = QuietHours.decide(clock.instant(), SendWindow.zones(contact, message.to()),
                    Jurisdiction.of(country, message.to(), contact.map(Contact::attributes).orElse(null)));
            Instant allowed = held.nextAllowedAt();
            if (allowed.isAfter(clock.instant())) {
                LOG.info("message {} held by rule {} (compliance rules {})", message.id(),
                        held.heldBy() == null ? "-" : held.heldBy().id(), held.rulesVersion());
                return queueing.deferred(request, message, allowed);
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
            if (message.hasMedia()) {
                List<dev.dripline.errors.FieldError> broken = dev.dripline.media.MediaLimits.of(provider.name()).check(message.media());
                if (!broken.isEmpty()) {
                    notTaken.add(provider.name() + ": " + broken.get(0).field() + " " + broken.get(0).message());
                    spendsAttempt = true;
                    continue;
                }
            }
            Optional<SenderNumbers.Number> number = pacing.senderFor(provider.name(), message, contact.orElse(null), country, request);
            if (number == null) {
                notTaken.add(provider.name() + ": no sender number may reach " + country);
                spendsAttempt = true;
                continue;
            }
            Optional<Result> wait = pacing.paced(request, message, provider.name(), number);
            if (wait.isPresent()) {
                if (claimed) {
                    // Failing over to a provider whose number must wait: nothing was sent yet.
                    store.release(message.id());
                }
                return wait.get();
            }
            String from = number.map(SenderNumbers.Number::id).orElse(message.from());
            if (!claimed) {
                Optional<Message> taken = store.claimAndRead(message.id(), clock.instant());
                if (taken.isEmpty()) {
                    // Taken or settled meanwhile; a carded round learns which from the stored message.
                    return carded ? send(request.withoutCard()) : new Result.Done("claimed by another worker");
                }
                message = taken.get();
                claimed = true;
            }
            Instant deadline = window.validUntil(message, contact, found.get().optOutConfirmation());
            SendOutcome outcome = provider.send(new OutboundSms(message.id(), from, message.to(), message.body(),
                    statusCallback(provider, message.id()), message.category() == Category.MARKETING,
                    Duration.between(clock.instant(), deadline), outboundMedia(message)));
            breakers.record(provider.name(), outcome);
            if (outcome instanceof SendOutcome.Accepted accepted) {
                return handedOver(message, provider, accepted, country);
            } else if (outcome instanceof SendOutcome.Unknown unknown) {
                store.outcomeUnknown(message.id(), provider.name(), from, clock.instant(), unknown.reason());
                // Alarmed (template.yaml): such a message may or may not reach the phone until a receipt or lookup says.
                dev.dripline.logging.OperationalMetrics.count(OUTCOME_UNKNOWN_METRIC, 1);
                LOG.warn("message {} to {}: outcome at {} unknown ({}); not sent again: a receipt or a lookup in {} settles it",
                        message.id(), Masked.phone(message.to()), provider.name(), unknown.reason(), unknownCheckAfter);
                return queueing.lookupLater(message, request, clock.instant().plus(unknownCheckAfter), "outcome unknown at " + provider.name());
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
        Duration wait = claimed ? retryAfter.orElse(SendQueueing.backoff(request.attempt())) : trial.orElse(Duration.ofSeconds(1));
        if (claimed && retryAfter.isEmpty() && trial.isPresent() && trial.get().compareTo(wait) < 0) {
            // The failure opened every circuit: come back for the trial call rather than after the longer backoff.
            wait = trial.get();
        }
        return queueing.later(request, message, "no provider took it; " + String.join("; ", notTaken), wait, spendsAttempt,
                window.validUntil(message, contact, found.get().optOutConfirmation()));
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
            return queueing.lookupLater(message, request, since.plus(unknownCheckAfter), "lookup not due yet");
        }
        SmsProvider provider = providers.get(message.provider());
        SendLookup answer;
        if (provider == null) {
            answer = new SendLookup.Undetermined(message.provider() + " is no longer configured", false);
        } else {
            Instant calledAt = found.claimedAt() != null ? found.claimedAt() : since;
            answer = provider.lookup(new OutboundSms(message.id(), found.sentFrom(), message.to(), message.body(),
                    statusCallback(provider, message.id()), null, null, outboundMedia(message)), calledAt);
        }
        if (answer instanceof SendLookup.Found f && f.outcome() instanceof SendOutcome.Accepted accepted) {
            LOG.info("message {}: unknown outcome settled, {} has it", message.id(), provider.name());
            return handedOver(message, provider, accepted, SendWindow.countryOf(message.to()));
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
        Instant deadline = window.validUntil(message, contact, found.optOutConfirmation());
        if (!now.isBefore(deadline)) {
            store.unknownForGood(message.id(), now, "validity passed without a receipt or a lookup answer (" + reason + ")");
            LOG.warn("message {} to {}: outcome at {} still unknown when its validity passed ({})", message.id(),
                    Masked.phone(message.to()), message.provider(), reason);
            return new Result.Done("unknown for good");
        }
        boolean askAgain = answer instanceof SendLookup.Undetermined u && u.askAgain();
        Instant next = askAgain ? now.plus(lookupInterval(Duration.between(since, now))) : deadline;
        return queueing.lookupLater(message, request, next.isAfter(deadline) ? deadline : next, reason);
    }

    /** Half the time the outcome has been unknown, between the first lookup's wait and SQS's longest delay. */
    private Duration lookupInterval(Duration unknownFor) {
        Duration half = unknownFor.dividedBy(2);
        return half.compareTo(unknownCheckAfter) < 0 ? unknownCheckAfter : half.compareTo(SqsQueue.MAX_DELAY) > 0 ? SqsQueue.MAX_DELAY : half;
    }

    private List<dev.dripline.media.OutboundMedia> outboundMedia(Message message) {
        if (!message.hasMedia()) {
            return List.of();
        }
        if (media == null) {
            throw new IllegalStateException("message " + message.id() + " carries media and this sender was built without a media store");
        }
        return media.outbound(message.media());
    }

    private List<SmsProvider> route(String country) {
        return policy.routes().providersFor(country, defaultOrder).stream().map(providers::get).toList();
    }

    private Result handedOver(Message message, SmsProvider provider, SendOutcome.Accepted accepted, String country) {
        Integer parts = accepted.parts() != null ? accepted.parts() : message.segments();
        BigDecimal cost = accepted.price() != null ? accepted.price()
                : message.hasMedia() ? policy.prices().perMms(provider.name(), country).orElse(null)
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

    private static Optional<Duration> sooner(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().compareTo(b.get()) <= 0 ? a : b;
    }

    /** Where the provider reports delivery; our id rides along so the receipt needs no lookup. */
    private URI statusCallback(SmsProvider provider, String messageId) {
        return URI.create(publicUrl + "/webhooks/" + provider.name() + "/status?m=" + messageId);
    }
}
