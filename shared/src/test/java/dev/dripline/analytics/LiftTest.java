package dev.dripline.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiftTest {

    /*
     * Treatment 200 of 1000 converted (pT = 0.2), holdout 15 of 100 (pH = 0.15), by hand:
     *   absolute lift  0.2 - 0.15 = 0.05
     *   SE             sqrt(0.2*0.8/1000 + 0.15*0.85/100) = sqrt(0.00016 + 0.001275) = sqrt(0.001435) = 0.0378814
     *   95% interval   0.05 ± 1.96 * 0.0378814 = 0.05 ± 0.0742462  →  [-0.0242462, 0.1242462]
     *   relative lift  0.2 / 0.15 - 1 = 0.333333
     *   ln(RR)         ln(1.333333) = 0.2876821
     *   SE(ln RR)      sqrt((1-0.2)/200 + (1-0.15)/15) = sqrt(0.004 + 0.0566667) = sqrt(0.0606667) = 0.2463060
     *   95% interval   exp(0.2876821 ± 1.96 * 0.2463060) - 1 = exp(-0.1950816) - 1, exp(0.7704458) - 1
     *                  = [0.822778 - 1, 2.160702 - 1] = [-0.177222, 1.160702]
     */
    @Test
    void liftAndItsIntervalsMatchTheHandComputedValues() {
        Lift lift = new Lift(1000, 200, 100, 15);
        assertThat(lift.absolute()).isCloseTo(0.05, within(1e-9));
        assertThat(lift.absoluteInterval()[0]).isCloseTo(-0.0242462, within(1e-6));
        assertThat(lift.absoluteInterval()[1]).isCloseTo(0.1242462, within(1e-6));
        assertThat(lift.relative()).isCloseTo(0.333333, within(1e-6));
        assertThat(lift.relativeInterval()[0]).isCloseTo(-0.177222, within(1e-6));
        assertThat(lift.relativeInterval()[1]).isCloseTo(1.160702, within(1e-6));
    }

    /*
     * Both groups at 10% (30/300 and 10/100): no lift, and the interval is symmetric round zero:
     *   SE = sqrt(0.1*0.9/300 + 0.1*0.9/100) = sqrt(0.0003 + 0.0009) = sqrt(0.0012) = 0.0346410
     *   95% interval ± 1.96 * 0.0346410 = ± 0.0678951
     */
    @Test
    void equalConversionHasNoLiftAndASymmetricInterval() {
        Lift lift = new Lift(300, 30, 100, 10);
        assertThat(lift.absolute()).isCloseTo(0.0, within(1e-12));
        assertThat(lift.absoluteInterval()[0]).isCloseTo(-0.0678951, within(1e-6));
        assertThat(lift.absoluteInterval()[1]).isCloseTo(0.0678951, within(1e-6));
        assertThat(lift.relative()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void statsBlockShowsBothGroupsAndLeavesTheRatioOutWhenTheHoldoutNeverConverted() {
        Map<String, Object> json = new Lift(50, 5, 10, 0).toJson();
        assertThat(json.get("treatment")).isEqualTo(Map.of("contacts", 50L, "converted", 5L, "conversion", 0.1));
        @SuppressWarnings("unchecked") Map<String, Object> lift = (Map<String, Object>) json.get("lift");
        assertThat(lift.get("absolute")).isEqualTo(0.1);
        assertThat(lift.get("relative")).isNull();
        assertThat(lift.get("relativeCi95")).isNull();
        assertThat((List<?>) lift.get("absoluteCi95")).hasSize(2);
    }
}
