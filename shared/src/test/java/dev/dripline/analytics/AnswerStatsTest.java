package dev.dripline.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The answers block of a campaign's stats, from the counters' totals. */
class AnswerStatsTest {

    private static Map<String, BigDecimal> totals(Object... metricAndCount) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (int i = 0; i < metricAndCount.length; i += 2) {
            out.put((String) metricAndCount[i], BigDecimal.valueOf(((Number) metricAndCount[i + 1]).longValue()));
        }
        return out;
    }

    @Test
    void npsIsPromotersMinusDetractorsInPercentOfTheScores() {
        Map<String, Object> block = AnswerStats.block(totals(
                AnswerStats.answered("nps"), 7, AnswerStats.npsScale("nps"), 7, AnswerStats.invalid("nps"), 2, AnswerStats.gaveUp("nps"), 1,
                AnswerStats.answer("nps", new BigDecimal("10")), 3, AnswerStats.answer("nps", new BigDecimal("9")), 1,
                AnswerStats.answer("nps", new BigDecimal("7")), 1, AnswerStats.answer("nps", new BigDecimal("0")), 2,
                "sent", 40));
        @SuppressWarnings("unchecked")
        Map<String, Object> nps = (Map<String, Object>) block.get("nps");
        assertThat(block).containsOnlyKeys("nps");
        assertThat(nps).containsEntry("answered", 7L).containsEntry("invalid", 2L).containsEntry("gaveUp", 1L);
        assertThat(List.copyOf(((Map<?, ?>) nps.get("distribution")).keySet())).isEqualTo(List.of("0", "7", "9", "10"));
        // 4 promoters, 1 passive, 2 detractors of 7: (4 - 2) / 7 = 28.6 %.
        assertThat(nps.get("nps")).isEqualTo(Map.of("score", 28.6, "promoters", 4L, "passives", 1L, "detractors", 2L, "scored", 7L));
    }

    @Test
    void onlyAZeroToTenScaleHasAnNpsAndTextAnswersAreCountedNotListed() {
        Map<String, Object> block = AnswerStats.block(totals(
                AnswerStats.answered("stars"), 2, AnswerStats.answer("stars", new BigDecimal("5")), 2,
                AnswerStats.answered("plan"), 3, AnswerStats.answer("plan", "Pro"), 2, AnswerStats.answer("plan", "Basic"), 1,
                AnswerStats.answered("ok"), 1, AnswerStats.answer("ok", true), 1,
                AnswerStats.answered("why"), 4));
        assertThat(block).containsOnlyKeys("ok", "plan", "stars", "why");
        assertThat(block.get("stars")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).doesNotContainKey("nps");
        assertThat(block.get("plan")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("distribution", Map.of("Basic", 1L, "Pro", 2L));
        assertThat(block.get("ok")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("distribution", Map.of("true", 1L));
        assertThat(block.get("why")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("answered", 4L).containsEntry("distribution", Map.of());
    }

    @Test
    void noScoresNoScore() {
        assertThat(AnswerStats.nps(Map.of())).containsEntry("score", null).containsEntry("scored", 0L);
        assertThat(AnswerStats.valueKey(new BigDecimal("7.50"))).isEqualTo("7.5");
        assertThat(AnswerStats.valueKey(new BigDecimal("1E+1"))).isEqualTo("10");
    }
}
