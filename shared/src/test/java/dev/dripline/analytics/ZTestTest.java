package dev.dripline.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two-proportion z-test against values worked by hand and the normal table. */
class ZTestTest {

    @Test
    void theNormalTailsMatchTheTable() {
        // P(|Z| > 1.96) = 0.0500, P(|Z| > 2.5758) = 0.0100, P(|Z| > 1) = 0.3173, P(|Z| > 3.2905) = 0.0010
        assertThat(ZTest.erfc(1.959964 / Math.sqrt(2))).isCloseTo(0.05, within(1e-6));
        assertThat(ZTest.erfc(2.575829 / Math.sqrt(2))).isCloseTo(0.01, within(1e-6));
        assertThat(ZTest.erfc(1 / Math.sqrt(2))).isCloseTo(0.317311, within(1e-6));
        assertThat(ZTest.erfc(3.290527 / Math.sqrt(2))).isCloseTo(0.001, within(1e-6));
        assertThat(ZTest.erfc(0)).isCloseTo(1, within(1e-7));
    }

    @Test
    void twoHundredOfAThousandAgainstTwoHundredFiftyIsSignificant() {
        // pooled p = 0.225, se = sqrt(0.225 * 0.775 * 2/1000) = 0.0186749, z = -0.05 / se = -2.67739
        ZTest t = ZTest.of(200, 1000, 250, 1000);
        assertThat(t.z()).isCloseTo(-2.67739, within(1e-4));
        assertThat(t.pValue()).isCloseTo(0.007419, within(1e-5));
        assertThat(t.confidence()).isCloseTo(0.992581, within(1e-5));
    }

    @Test
    void aSmallDifferenceOnSmallSamplesIsNot() {
        // 12/100 vs 10/100: pooled 0.11, se = sqrt(0.11 * 0.89 * 0.02) = 0.044249, z = 0.451988, p = 0.651280
        ZTest t = ZTest.of(12, 100, 10, 100);
        assertThat(t.z()).isCloseTo(0.451988, within(1e-5));
        assertThat(t.pValue()).isCloseTo(0.651280, within(1e-5));
    }

    @Test
    void noTrialsOrNoVarianceMeansNoEvidence() {
        assertThat(ZTest.of(0, 0, 5, 10).pValue()).isEqualTo(1);
        assertThat(ZTest.of(0, 10, 0, 10).pValue()).isEqualTo(1);
        assertThat(ZTest.of(10, 10, 10, 10).pValue()).isEqualTo(1);
    }

    @Test
    void aWinnerIsDeclaredOnlyWhenTheLeaderBeatsEveryOtherVariantSignificantly() {
        List<Map<String, Object>> variants = new ArrayList<>();
        variants.add(variant("A", 200, 1000));
        variants.add(variant("B", 250, 1000));
        Map<String, Object> test = Analytics.abTest(variants, true);
        assertThat(test).containsEntry("metric", "conversion").containsEntry("winner", "B").containsEntry("significant", true);
        assertThat((double) variants.get(0).get("confidence")).isCloseTo(0.992581, within(1e-5));

        // With a third variant close to B, B no longer beats every other: no winner.
        variants = new ArrayList<>(List.of(variant("A", 200, 1000), variant("B", 250, 1000), variant("C", 245, 1000)));
        assertThat(Analytics.abTest(variants, true)).containsEntry("leader", "B").containsEntry("winner", null);
    }

    private static Map<String, Object> variant(String id, long converted, long enrolled) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.putAll(Analytics.block(Map.of("converted", BigDecimal.valueOf(converted), "enrolled", BigDecimal.valueOf(enrolled))));
        return v;
    }
}
