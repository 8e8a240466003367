package dev.dripline.analytics;

import dev.dripline.errors.NotFound;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The numbers: campaign stats (totals, per step, per variant with the A/B test), broadcast
 * counts and the dashboard's overview, all read from {@link Counters} (a handful of reads,
 * whatever the number of messages).
 *
 * <p>Rates, each with its numerator and denominator: delivery = delivered / sent; click-through =
 * uniqueClicks / delivered; reply = replied / delivered; opt-out = optedOut / delivered;
 * conversion = converted / enrolled. The A/B test compares variants' conversion when the campaign
 * has any conversion, else their click-through, by a two-proportion z-test of the leading variant
 * against each other; the leader is declared the winner only when p &lt; 0.05 / (variants - 1)
 * against every other (Bonferroni: several comparisons must not make a winner by chance).
 * Answers saved by campaign steps, with their distribution and NPS: {@link AnswerStats}.
 */
public final class Analytics {

    /** Metrics shown at the top level of the stats, always present (0 when never counted). */
    static final List<String> TOTALS = List.of("enrolled", "sent", "mms", "segments", "cost", "delivered", "undelivered", "failed", "expired",
            "clicked", "uniqueClicks", "replied", "optedOut", "converted", "completed", "exited", "stepsDone", "queued",
            "unknown");

    private final Counters counters;
    private final Clock clock;
    private volatile Predicate<String> campaignExists = id -> true;
    private volatile Function<String, String> campaignNames = id -> id;

    public Analytics(Counters counters, Clock clock) {
        this.counters = counters;
        this.clock = clock;
    }

    /** Which campaign ids exist (the campaigns' store plugs in here); unknown ones answer 404. Default: all. */
    public void campaignExists(Predicate<String> exists) {
        this.campaignExists = exists;
    }

    /** A campaign's display name (the campaigns' store plugs in here). Default: the id. */
    public void campaignNames(Function<String, String> names) {
        this.campaignNames = names;
    }

    /** {@code GET /v1/campaigns/{id}/stats}. */
    public Map<String, Object> campaignStats(String campaignId) {
        if (!campaignExists.test(campaignId)) {
            throw new NotFound("campaign", campaignId);
        }
        return stats(campaignId);
    }

    private Map<String, Object> stats(String campaignId) {
        Counters.Counts counts = counters.campaign(campaignId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaignId", campaignId);
        out.put("name", campaignNames.apply(campaignId));
        out.putAll(block(counts.totals()));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (String step : counts.names("s")) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", step);
            s.putAll(block(counts.of("s", step)));
            steps.add(s);
        }
        out.put("steps", steps);
        List<Map<String, Object>> variants = new ArrayList<>();
        for (String variant : counts.names("v")) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", variant);
            v.putAll(block(counts.of("v", variant)));
            variants.add(v);
        }
        out.put("abTest", abTest(variants, counts.total("converted") > 0));
        out.put("variants", variants);
        out.put("answers", AnswerStats.block(counts.totals()));
        if (counts.total(dev.dripline.drip.Holdout.HELD) + counts.total(dev.dripline.drip.Holdout.TREATED) > 0) {
            out.put("holdout", new Lift(counts.total(dev.dripline.drip.Holdout.TREATED), counts.total(dev.dripline.drip.Holdout.TREATED_CONVERTED),
                    counts.total(dev.dripline.drip.Holdout.HELD), counts.total(dev.dripline.drip.Holdout.HELD_CONVERTED)).toJson());
        }
        return out;
    }

    /** What the broadcasts' route shows: queued, sent, delivered, failed, skipped by reason... */
    public BroadcastCounts broadcastCounts(String broadcastId) {
        Counters.Counts c = counters.broadcast(broadcastId);
        return new BroadcastCounts(c.total("queued"), c.total("sent"), c.total("segments"), c.amount("cost"), c.total("delivered"),
                c.total("undelivered"), c.total("failed"), c.total("expired"), c.total("clicked"), c.total("uniqueClicks"),
                c.total("replied"), c.total("optedOut"), prefixed(c.totals(), "skipped."), prefixed(c.totals(), "deferred."));
    }

    /** A broadcast's counters. {@code skipped} and {@code deferred}: reason → count. */
    public record BroadcastCounts(long queued, long sent, long segments, BigDecimal cost, long delivered, long undelivered, long failed,
                                  long expired, long clicked, long uniqueClicks, long replied, long optedOut,
                                  Map<String, Long> skipped, Map<String, Long> deferred) {
    }

    /** The dashboard's data: each campaign's totals, rates and A/B test, each broadcast's counts, and {@code days} of daily series. */
    public Map<String, Object> overview(int days) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<LocalDate, Counters.Counts> byDay = counters.days(today.minusDays(days - 1L), today);
        List<Map<String, Object>> series = new ArrayList<>();
        byDay.forEach((day, c) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("date", day.toString());
            for (String m : List.of("sent", "mms", "delivered", "undelivered", "failed", "optedOut", "segments", "received", "receivedMms")) {
                d.put(m, c.total(m));
            }
            d.put("cost", c.amount("cost"));
            series.add(d);
        });
        List<Map<String, Object>> campaigns = new ArrayList<>();
        for (String id : counters.ids("campaigns")) {
            // Counters outlive a campaign's definition: they are shown whether it still exists or not.
            campaigns.add(stats(id));
        }
        List<Map<String, Object>> broadcasts = new ArrayList<>();
        for (String id : counters.ids("broadcasts")) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("id", id);
            b.putAll(block(counters.broadcast(id).totals()));
            broadcasts.add(b);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generatedAt", clock.instant().toString());
        out.put("days", series);
        out.put("campaigns", campaigns);
        out.put("broadcasts", broadcasts);
        return out;
    }

    /** Totals, skipped/deferred by reason, and rates of one set of counters. */
    static Map<String, Object> block(Map<String, BigDecimal> metrics) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String m : TOTALS) {
            BigDecimal v = metrics.getOrDefault(m, BigDecimal.ZERO);
            out.put(m, m.equals("cost") ? v : (Object) v.longValue());
        }
        out.put("skipped", prefixed(metrics, "skipped."));
        out.put("deferred", prefixed(metrics, "deferred."));
        long sent = n(metrics, "sent");
        long delivered = n(metrics, "delivered");
        Map<String, Object> rates = new LinkedHashMap<>();
        rates.put("delivery", Rate.of(delivered, sent));
        rates.put("clickThrough", Rate.of(n(metrics, "uniqueClicks"), delivered));
        rates.put("reply", Rate.of(n(metrics, "replied"), delivered));
        rates.put("optOut", Rate.of(n(metrics, "optedOut"), delivered));
        rates.put("conversion", Rate.of(n(metrics, "converted"), n(metrics, "enrolled")));
        out.put("rates", rates);
        return out;
    }

    /** A share with what it is a share of; {@code value} is null when nothing was counted below it. */
    public record Rate(long numerator, long denominator, Double value) {
        static Rate of(long numerator, long denominator) {
            return new Rate(numerator, denominator, denominator == 0 ? null
                    : BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 6, RoundingMode.HALF_EVEN).doubleValue());
        }
    }

    /** Runs the A/B test and writes each variant's {@code confidence} and {@code pValue} into it. */
    static Map<String, Object> abTest(List<Map<String, Object>> variants, boolean byConversion) {
        String metric = byConversion ? "conversion" : "clickThrough";
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("metric", metric);
        test.put("test", "two-proportion z-test, two-sided, pooled variance; leader vs each other variant");
        test.put("alpha", ZTest.ALPHA);
        if (variants.size() < 2) {
            // Nothing to compare with: no evidence of a difference (p = 1).
            variants.forEach(v -> {
                v.put("pValue", 1.0);
                v.put("confidence", 0.0);
            });
            test.put("winner", null);
            test.put("significant", false);
            return test;
        }
        Comparator<Map<String, Object>> byRate = Comparator.comparingDouble(v -> rateOf(v, metric));
        Map<String, Object> leader = variants.stream().max(byRate).orElseThrow();
        Rate lead = rate(leader, metric);
        double alpha = ZTest.ALPHA / (variants.size() - 1);
        double worstP = 0;
        for (Map<String, Object> v : variants) {
            if (v == leader) {
                continue;
            }
            Rate r = rate(v, metric);
            ZTest z = ZTest.of(lead.numerator(), lead.denominator(), r.numerator(), r.denominator());
            v.put("pValue", round(z.pValue()));
            v.put("confidence", round(z.confidence()));
            v.put("z", round(z.z()));
            worstP = Math.max(worstP, z.pValue());
        }
        leader.put("pValue", round(worstP));
        leader.put("confidence", round(1 - worstP));
        leader.put("leader", true);
        boolean significant = worstP < alpha && lead.value() != null;
        test.put("leader", leader.get("id"));
        test.put("pValue", round(worstP));
        test.put("confidence", round(1 - worstP));
        test.put("significant", significant);
        test.put("winner", significant ? leader.get("id") : null);
        return test;
    }

    private static Rate rate(Map<String, Object> variant, String metric) {
        @SuppressWarnings("unchecked")
        Map<String, Object> rates = (Map<String, Object>) variant.get("rates");
        return (Rate) rates.get(metric);
    }

    private static double rateOf(Map<String, Object> variant, String metric) {
        Rate r = rate(variant, metric);
        return r.value() == null ? -1 : r.value();
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private static long n(Map<String, BigDecimal> metrics, String m) {
        return metrics.getOrDefault(m, BigDecimal.ZERO).longValue();
    }

    private static Map<String, Long> prefixed(Map<String, BigDecimal> metrics, String prefix) {
        Map<String, Long> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v.longValue());
            }
        });
        return out;
    }
}
