package dev.dripline;

import dev.dripline.analytics.Attribution;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contacts;
import dev.dripline.conversations.DoubleOptIn;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.MessageStore;
import dev.dripline.messaging.Origin;
import dev.dripline.outbound.OutboundWebhooks;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Who hears of what, wired when the service that speaks is built: the services it tells are
 * asked for when an event happens, never while it is being built (so no service waits on another
 * that is still being built).
 */
final class CoreListeners {

    private CoreListeners() {
    }

    /** Double opt-in asks pending contacts; with a steps queue, campaigns and integrators hear of changes. */
    static Contacts onContacts(Contacts contacts, Dripline core) {
        DoubleOptIn doubleOptIn = new DoubleOptIn(core::messages, core.settings().brand());
        contacts.onPending(doubleOptIn::ask);
        if (!core.settings().stepsQueueUrl().isBlank()) {
            // Segment-triggered campaigns hear of contacts that changed.
            contacts.onChanged(c -> core.journeyInbox().contactChanged(c));
            // Integrators hear of opt-ins and opt-outs (contact.opted_in, contact.opted_out), one event per ledger entry.
            contacts.onConsentChanged((entry, phone) -> core.outboundWebhooks().publish(
                    entry.status() == ConsentStatus.OPTED_IN ? "contact.opted_in" : "contact.opted_out",
                    "evt_" + entry.entryId().substring(entry.entryId().indexOf('#') + 1), entry.recordedAt(),
                    OutboundWebhooks.consentData(entry, phone)));
        }
        return contacts;
    }

    /** Analytics listens to messages' transitions; integrators hear of the sender's unknown outcomes. */
    static MessageStore onTransitions(MessageStore store, Supplier<Attribution> attribution, Supplier<OutboundWebhooks> webhooks) {
        store.onTransitions(new MessageStore.Transitions() {
            @Override
            public void handedOver(String messageId, Origin origin, Integer segments, BigDecimal cost, Instant at) {
                attribution.get().handedOver(messageId, origin, segments, cost, at, false);
            }

            @Override
            public void handedOver(String messageId, Origin origin, Integer segments, BigDecimal cost, Instant at, boolean mms) {
                attribution.get().handedOver(messageId, origin, segments, cost, at, mms);
            }

            @Override
            public void statusChanged(String messageId, Origin origin, MessageStatus from, MessageStatus to, Instant at) {
                attribution.get().statusChanged(messageId, origin, from, to, at);
                // Receipts tell integrators of their own changes; an unknown outcome is the sender's finding.
                if (to == MessageStatus.UNKNOWN && webhooks.get().enabled()) {
                    webhooks.get().publish("message.status", "evt_" + messageId + "_sender:unknown", at,
                            new LinkedHashMap<>(Map.of("messageId", messageId, "status", to.wire())));
                }
            }
        });
        return store;
    }
}
