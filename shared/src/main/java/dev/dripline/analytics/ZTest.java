package dev.dripline.analytics;

/**
 * The two-proportion z-test (pooled variance, two-sided): is the share of successes in A
 * different from that in B? Answers z and the p-value; {@code confidence} is 1 - p.
 *
 * @param z      (pA - pB) / sqrt(p(1 - p)(1/nA + 1/nB)), p the pooled share
 * @param pValue the chance of a difference at least this large if A and B were the same
 */
public record ZTest(double z, double pValue) {

    /** Conventional significance: a difference is declared only below this p-value. */
    public static final double ALPHA = 0.05;

    public static ZTest of(long successesA, long trialsA, long successesB, long trialsB) {
        if (trialsA <= 0 || trialsB <= 0) {
            return new ZTest(0, 1);
        }
        double pA = (double) successesA / trialsA;
        double pB = (double) successesB / trialsB;
        double pooled = (double) (successesA + successesB) / (trialsA + trialsB);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / trialsA + 1.0 / trialsB));
        if (se == 0) {
            return new ZTest(0, 1);
        }
        double z = (pA - pB) / se;
        return new ZTest(z, erfc(Math.abs(z) / Math.sqrt(2)));
    }

    public double confidence() {
        return 1 - pValue;
    }

    /**
     * The complementary error function by the Chebyshev fit of Numerical Recipes ({@code erfcc}):
     * fractional error below 1.2e-7 everywhere, far finer than any p-value shown.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
