package dev.dripline.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answers campaign steps saved ({@code waitForReply.save}), as counted and as the stats show
 * them: per saved attribute, how many answered, how many invalid replies and give-ups, the
 * answers' distribution (value → count; text answers are counted, not listed), and, where the
 * answers are scores from 0 to 10, the Net Promoter Score: promoters (9-10) minus detractors
 * (0-6), in percent of the answers.
 *
 * <p>The counters' metric names ({@code t|<metric>} in the campaign's item): {@code answered:<attribute>},
 * {@code answer:<attribute>=<value>}, {@code answerInvalid:<attribute>}, {@code answerGaveUp:<attribute>}
 * and {@code npsScale:<attribute>} (one per answer on a 0-10 integer scale). Attribute names
 * have neither ':' nor '=', so the names split without ambiguity.
 */
public final class AnswerStats {

    private static final String ANSWERED = "answered:";
    private static final String ANSWER = "answer:";
    private static final String INVALID = "answerInvalid:";
    private static final String GAVE_UP = "answerGaveUp:";
    private static final String NPS_SCALE = "npsScale:";

    private AnswerStats() {
    }

    public static String answered(String attribute) {
        return ANSWERED + attribute;
    }

    public static String answer(String attribute, Object value) {
        return ANSWER + attribute + "=" + valueKey(value);
    }

    public static String invalid(String attribute) {
        return INVALID + attribute;
    }

    public static String gaveUp(String attribute) {
        return GAVE_UP + attribute;
    }

    public static String npsScale(String attribute) {
        return NPS_SCALE + attribute;
    }

    /** An answer as the distribution lists it: numbers without trailing zeros, true/false, the choice's text. */
    public static String valueKey(Object value) {
        if (value instanceof BigDecimal d) {
            BigDecimal s = d.stripTrailingZeros();
            return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
        }
        return String.valueOf(value);
    }

    /** The {@code answers} block of a campaign's stats from its totals: attribute → its answers. */
    static Map<String, Object> block(Map<String, BigDecimal> totals) {
        Map<String, Map<String, Object>> byAttribute = new TreeMap<>();
        totals.forEach((metric, amount) -> {
            long n = amount.longValue();
            if (metric.startsWith(ANSWERED)) {
                of(byAttribute, metric.substring(ANSWERED.length())).put("answered", n);
            } else if (metric.startsWith(INVALID)) {
                of(byAttribute, metric.substring(INVALID.length())).put("invalid", n);
            } else if (metric.startsWith(GAVE_UP)) {
                of(byAttribute, metric.substring(GAVE_UP.length())).put("gaveUp", n);
            } else if (metric.startsWith(ANSWER) && metric.indexOf('=') > ANSWER.length()) {
                int eq = metric.indexOf('=');
                @SuppressWarnings("unchecked")
                Map<String, Long> distribution = (Map<String, Long>) of(byAttribute, metric.substring(ANSWER.length(), eq)).get("distribution");
                distribution.put(metric.substring(eq + 1), n);
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        byAttribute.forEach((attribute, a) -> {
            if (totals.getOrDefault(NPS_SCALE + attribute, BigDecimal.ZERO).signum() > 0) {
                @SuppressWarnings("unchecked")
                Map<String, Long> distribution = (Map<String, Long>) a.get("distribution");
                a.put("nps", nps(distribution));
            }
            out.put(attribute, a);
        });
        return out;
    }

    private static Map<String, Object> of(Map<String, Map<String, Object>> byAttribute, String attribute) {
        return byAttribute.computeIfAbsent(attribute, k -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("answered", 0L);
            a.put("invalid", 0L);
            a.put("gaveUp", 0L);
            a.put("distribution", new TreeMap<String, Long>(AnswerStats::compareValues));
            return a;
        });
    }

    /** Numbers in numeric order, before texts in alphabetical order. */
    private static int compareValues(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            int c = x.compareTo(y);
            return c != 0 ? c : a.compareTo(b);
        }
        return Comparator.<String, Boolean>comparing(v -> number(v) == null).thenComparing(Comparator.naturalOrder()).compare(a, b);
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Promoters (9-10), passives (7-8), detractors (0-6) and the score, promoters minus detractors in percent of the scores. */
    static Map<String, Object> nps(Map<String, Long> distribution) {
        long promoters = 0;
        long passives = 0;
        long detractors = 0;
        for (Map.Entry<String, Long> e : distribution.entrySet()) {
            BigDecimal v = number(e.getKey());
            if (v == null || v.signum() < 0 || v.compareTo(BigDecimal.TEN) > 0) {
                continue;
            }
            if (v.compareTo(BigDecimal.valueOf(9)) >= 0) {
                promoters += e.getValue();
            } else if (v.compareTo(BigDecimal.valueOf(7)) >= 0) {
                passives += e.getValue();
            } else {
                detractors += e.getValue();
            }
        }
        long scored = promoters + passives + detractors;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("score", scored == 0 ? null : BigDecimal.valueOf(promoters - detractors).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(scored), 1, RoundingMode.HALF_EVEN).doubleValue());
        out.put("promoters", promoters);
        out.put("passives", passives);
        out.put("detractors", detractors);
        out.put("scored", scored);
        return out;
    }
}
