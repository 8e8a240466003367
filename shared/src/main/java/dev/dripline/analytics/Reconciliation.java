package dev.dripline.analytics;

import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.MessageStore;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recounts a campaign's (or broadcast's) message counters from its message items and compares
 * them with the counters: sent, segments and cost of the messages handed to a provider, each
 * final status, clicks, unique clicks, replies and opt-outs credited to them. Engine metrics
 * (enrolled, converted, skipped...) have no message item and are not recounted. Only messages
 * younger than DRIPLINE_BODY_RETENTION still exist, so an old campaign's recount is smaller.
 */
public final class Reconciliation {

    /** The metrics that message items can recount. */
    public static final List<String> METRICS = List.of("sent", "mms", "segments", "cost", "delivered", "undelivered", "failed", "expired",
            "clicked", "uniqueClicks", "replied", "optedOut", "unknown");

    private final MessageStore messages;
    private final Counters counters;

    public Reconciliation(MessageStore messages, Counters counters) {
        this.messages = messages;
        this.counters = counters;
    }

    /** A metric whose counter differs from the recount. */
    public record Difference(String scope, String metric, BigDecimal counted, BigDecimal recounted) {
    }

    /** The recount and the differences (empty: the counters match the messages). */
    public record Report(Map<String, BigDecimal> recounted, List<Difference> differences) {
        public boolean matches() {
            return differences.isEmpty();
        }
    }

    public Report campaign(String campaignId) {
        return compare(messages.scanOrigin(campaignId, null), counters.campaign(campaignId), true);
    }

    public Report broadcast(String broadcastId) {
        return compare(messages.scanOrigin(null, broadcastId), counters.broadcast(broadcastId), false);
    }

    /**
     * Brings a broadcast's counters up to its messages again (after a crash between a message's
     * write and its count): each counter below its recount is raised to it. Never lowered: a
     * crash only loses counts, and messages past their retention are gone while their counts
     * stay. Per-day buckets are left as they are. Returns what was repaired.
     */
    public List<Difference> repairBroadcast(String broadcastId) {
        return repair("b#" + broadcastId, broadcast(broadcastId));
    }

    /** As {@link #repairBroadcast}, for a campaign (its totals, steps and variants). */
    public List<Difference> repairCampaign(String campaignId) {
        return repair("c#" + campaignId, campaign(campaignId));
    }

    private List<Difference> repair(String item, Report report) {
        if (report.matches()) {
            return List.of();
        }
        Map<String, BigDecimal> adds = new TreeMap<>();
        List<Difference> missed = report.differences().stream().filter(d -> d.recounted().compareTo(d.counted()) > 0).toList();
        for (Difference d : missed) {
            adds.put(d.scope() + "|" + d.metric(), d.recounted().subtract(d.counted()));
        }
        if (!adds.isEmpty()) {
            // Shards are summed when read: the correction can go to any one of them.
            counters.addTo(item + "#0", adds, null);
        }
        return missed;
    }

    private static Report compare(List<MessageStore.Counted> items, Counters.Counts counts, boolean perStepAndVariant) {
        Map<String, BigDecimal> recount = new TreeMap<>();
        for (MessageStore.Counted c : items) {
            Map<String, BigDecimal> adds = new TreeMap<>();
            if (c.handedOver()) {
                adds.put("sent", BigDecimal.ONE);
                if (c.message().hasMedia()) {
                    adds.put("mms", BigDecimal.ONE);
                } else if (c.message().segments() != null) {
                    adds.put("segments", BigDecimal.valueOf(c.message().segments()));
                }
                if (c.message().cost() != null) {
                    adds.put("cost", c.message().cost());
                }
            }
            MessageStatus status = c.message().status();
            if (status.isFinal() || status == MessageStatus.UNKNOWN) {
                adds.put(status.wire(), BigDecimal.ONE);
            }
            if (c.clicks() > 0) {
                adds.put("clicked", BigDecimal.valueOf(c.clicks()));
                adds.put("uniqueClicks", BigDecimal.ONE);
            }
            if (c.replies() > 0) {
                adds.put("replied", BigDecimal.ONE);
            }
            if (c.optOuts() > 0) {
                adds.put("optedOut", BigDecimal.valueOf(c.optOuts()));
            }
            var origin = c.message().origin();
            adds.forEach((metric, amount) -> {
                recount.merge("t|" + metric, amount, BigDecimal::add);
                if (perStepAndVariant && origin.stepId() != null) {
                    recount.merge("s|" + origin.stepId() + "|" + metric, amount, BigDecimal::add);
                }
                if (perStepAndVariant && origin.variant() != null) {
                    recount.merge("v|" + origin.variant() + "|" + metric, amount, BigDecimal::add);
                }
            });
        }
        List<Difference> differences = new java.util.ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>(recount.keySet());
        counts.values().keySet().stream().filter(k -> METRICS.contains(k.substring(k.lastIndexOf('|') + 1))).forEach(names::add);
        for (String name : names) {
            BigDecimal counted = counts.values().getOrDefault(name, BigDecimal.ZERO);
            BigDecimal recounted = recount.getOrDefault(name, BigDecimal.ZERO);
            if (counted.compareTo(recounted) != 0) {
                int cut = name.lastIndexOf('|');
                differences.add(new Difference(name.substring(0, cut), name.substring(cut + 1), counted, recounted));
            }
        }
        return new Report(recount, differences);
    }
}
