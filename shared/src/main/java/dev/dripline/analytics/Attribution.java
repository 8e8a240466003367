package dev.dripline.analytics;

import dev.dripline.logging.OperationalMetrics;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.MessageStore;
import dev.dripline.messaging.Origin;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what happens to messages into counters: the hand-over to a provider (sent, segments,
 * cost), the first change into a final status, clicks, replies and opt-outs. Replies and opt-outs
 * are credited to the contact's most recent outbound message with an origin sent within the
 * attribution window. Every day bucket counts all outbound messages, campaign or not, and every
 * inbound one ({@code received}; with media, {@code receivedMms} too).
 */
public final class Attribution implements MessageStore.Transitions, Engagement {

    private final Counters counters;
    private final MessageStore messages;
    private final Duration window;

    public Attribution(Counters counters, MessageStore messages, Duration window) {
        this.counters = counters;
        this.messages = messages;
        this.window = window;
    }

    @Override
    public void handedOver(String messageId, Origin origin, Integer segments, BigDecimal cost, Instant at) {
        handedOver(messageId, origin, segments, cost, at, false);
    }

    /** As the five-argument one; an MMS is also counted apart ({@code mms}), and its parts are not SMS segments. */
    public void handedOver(String messageId, Origin origin, Integer segments, BigDecimal cost, Instant at, boolean mms) {
        Map<String, BigDecimal> adds = new LinkedHashMap<>();
        adds.put("sent", BigDecimal.ONE);
        if (mms) {
            adds.put("mms", BigDecimal.ONE);
            segments = null;
        }
        if (segments != null) {
            adds.put("segments", BigDecimal.valueOf(segments));
        }
        if (cost != null && cost.signum() != 0) {
            adds.put("cost", cost);
        }
        counters.count(origin, adds, at);
        OperationalMetrics.count("MessagesSent", 1);
    }

    @Override
    public void statusChanged(String messageId, Origin origin, MessageStatus from, MessageStatus to, Instant at) {
        // "unknown" counts the messages whose outcome is unknown now: in when it starts, out when settled.
        if (to == MessageStatus.UNKNOWN) {
            counters.count(origin, Map.of("unknown", BigDecimal.ONE), at);
            return;
        }
        if (from == MessageStatus.UNKNOWN) {
            counters.count(origin, Map.of("unknown", BigDecimal.ONE.negate()), at);
        }
        // Final statuses share one rank, so a message enters at most one of them, once.
        if (!to.isFinal() || from.isFinal()) {
            return;
        }
        counters.count(origin, Map.of(to.wire(), BigDecimal.ONE), at);
        if (to != MessageStatus.DELIVERED) {
            OperationalMetrics.count("MessagesFailed", 1);
        }
    }

    @Override
    public void clicked(String messageId, Instant at) {
        safely("click on " + messageId, () -> messages.engage(messageId, "clicks", at).ifPresent(e -> {
            Map<String, BigDecimal> adds = new LinkedHashMap<>();
            adds.put("clicked", BigDecimal.ONE);
            if (e.count() == 1) {
                adds.put("uniqueClicks", BigDecimal.ONE);
            }
            counters.count(e.origin(), adds, null);
        }));
    }

    @Override
    public void replied(String contactId, Instant at) {
        safely("reply of " + contactId, () -> latest(contactId, at).flatMap(id -> messages.engage(id, "replies", at))
                .filter(e -> e.count() == 1)
                .ifPresent(e -> counters.count(e.origin(), Map.of("replied", BigDecimal.ONE), null)));
    }

    @Override
    public void optedOut(String contactId, String messageId, Instant at) {
        safely("opt-out of " + contactId, () -> {
            Optional<String> credited = messageId != null ? Optional.of(messageId) : latest(contactId, at);
            Optional<MessageStore.Engaged> engaged = credited.flatMap(id -> messages.engage(id, "optOuts", at));
            // Every opt-out counts in its day, credited or not.
            counters.count(engaged.map(MessageStore.Engaged::origin).orElse(null), Map.of("optedOut", BigDecimal.ONE), at);
        });
    }

    /** Every inbound message counts in its day ({@code received}), those with media also as {@code receivedMms}. */
    @Override
    public void received(boolean mms, Instant at) {
        safely("inbound message", () -> {
            Map<String, BigDecimal> adds = new LinkedHashMap<>();
            adds.put("received", BigDecimal.ONE);
            if (mms) {
                adds.put("receivedMms", BigDecimal.ONE);
            }
            counters.count(null, adds, at);
        });
    }

    /** What the recipient did already happened: a failed count is logged (a reconciliation shows it), never thrown at them. */
    private static void safely(String what, Runnable count) {
        try {
            count.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Attribution.class).error("{} not counted: {}", what, e.toString());
        }
    }

    private Optional<String> latest(String contactId, Instant at) {
        return contactId == null ? Optional.empty() : messages.latestWithOrigin(contactId, at.minus(window));
    }
}
