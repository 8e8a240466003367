package dev.dripline.messaging;

import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.logging.Masked;
import dev.dripline.providers.OutboundSms;
import dev.dripline.providers.SendOutcome;
import dev.dripline.providers.SmsProvider;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's core: takes one queued message to a provider, at most once.
 *
 * <p>Order of work: read the record; skip it if it is settled or another worker holds it;
 * check consent one last time (a STOP that arrived while the message waited wins); claim it
 * with a conditional write; call the providers in order, moving to the next only on an answer
 * that proves the message was not sent; record the outcome. The claim is never given back once
 * a provider may have the message, so a redelivery or a crash after the call cannot send twice.
 */
public final class Sender {

    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    /** What became of one send request; {@link Retry} asks the queue to deliver it again later. */
    public sealed interface Result {
        record Done(String detail) implements Result {
        }

        record Retry(String reason, Optional<Duration> after) implements Result {
        }
    }

    private final MessageStore store;
    private final Contacts contacts;
    private final List<SmsProvider> providers;
    private final URI publicUrl;
    private final Clock clock;

    public Sender(MessageStore store, Contacts contacts, List<SmsProvider> providers, URI publicUrl, Clock clock) {
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("the sender needs at least one provider");
        }
        this.store = store;
        this.contacts = contacts;
        this.providers = List.copyOf(providers);
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    public Result send(SendRequest request) {
        Optional<MessageStore.Dispatchable> found = store.dispatchable(request.messageId());
        if (found.isEmpty()) {
            return new Result.Done("no such message " + request.messageId() + ": dropped");
        }
        Message message = found.get().message();
        if (found.get().dispatch() != null || message.status() != MessageStatus.ACCEPTED) {
            return new Result.Done("already " + (found.get().dispatch() != null ? found.get().dispatch() : message.status().wire()));
        }
        Optional<Contact> contact = contacts.get(message.contactId());
        // Every category stops at an opt-out; only the confirmation of that opt-out goes through.
        if (!found.get().optOutConfirmation() && contact.map(c -> c.consent() == ConsentStatus.OPTED_OUT).orElse(false)) {
            store.recordStatus(message.id(), MessageStatus.FAILED, "opted_out", clock.instant(), "sender:opted_out");
            return new Result.Done("recipient opted out while the message waited");
        }
        if (!store.claim(message.id(), clock.instant())) {
            return new Result.Done("claimed by another worker");
        }
        String lastRetryable = null;
        Optional<Duration> retryAfter = Optional.empty();
        for (SmsProvider provider : providers) {
            OutboundSms sms = new OutboundSms(message.id(), message.from(), message.to(), message.body(),
                    statusCallback(provider, message.id()));
            SendOutcome outcome = provider.send(sms);
            if (outcome instanceof SendOutcome.Accepted accepted) {
                store.handedOver(message.id(), provider.name(), accepted.providerMessageId(), accepted.parts(), accepted.price(), clock.instant());
                LOG.info("message {} to {} handed to {} as {}", message.id(), Masked.phone(message.to()), provider.name(),
                        accepted.providerMessageId());
                return new Result.Done("handed to " + provider.name());
            } else if (outcome instanceof SendOutcome.Unknown unknown) {
                store.outcomeUnknown(message.id(), provider.name(), clock.instant());
                LOG.warn("message {} to {}: outcome at {} unknown ({}); not retried, the receipt will settle it",
                        message.id(), Masked.phone(message.to()), provider.name(), unknown.reason());
                return new Result.Done("outcome unknown at " + provider.name());
            } else if (outcome instanceof SendOutcome.Permanent permanent) {
                store.recordStatus(message.id(), MessageStatus.FAILED, permanent.errorCode(), clock.instant(),
                        "sender:" + provider.name() + ":" + permanent.errorCode());
                LOG.info("message {} to {} refused by {}: {} {}", message.id(), Masked.phone(message.to()), provider.name(),
                        permanent.errorCode(), permanent.reason());
                return new Result.Done("refused by " + provider.name());
            } else if (outcome instanceof SendOutcome.Retryable retryable) {
                lastRetryable = provider.name() + ": " + retryable.reason();
                retryAfter = retryable.retryAfter();
                LOG.info("message {}: {} did not take it ({}); trying the next provider", message.id(), provider.name(), retryable.reason());
            }
        }
        store.release(message.id());
        return new Result.Retry("no provider took it; last: " + lastRetryable, retryAfter);
    }

    /** Where the provider reports delivery; our id rides along so the receipt needs no lookup. */
    private URI statusCallback(SmsProvider provider, String messageId) {
        return URI.create(publicUrl + "/webhooks/" + provider.name() + "/status?m=" + messageId);
    }
}
