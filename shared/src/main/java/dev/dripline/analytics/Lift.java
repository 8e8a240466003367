package dev.dripline.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a campaign's holdout shows: conversion in the treatment (contacts who went on) and in the
 * holdout (contacts held out), and the lift with 95% confidence intervals.
 * <ul>
 * <li>absolute lift pT - pH, interval pT - pH ± 1.96 · sqrt(pT(1-pT)/nT + pH(1-pH)/nH) (the
 * two-proportion Wald interval, unpooled: an interval for the difference, not a test of zero);</li>
 * <li>relative lift pT/pH - 1, interval exp(ln(pT/pH) ± 1.96 · sqrt((1-pT)/xT + (1-pH)/xH)) - 1
 * (Katz's log interval for a ratio of proportions; absent when either group has no conversion).</li>
 * </ul>
 * The two-sided p-value of the difference is the pooled z-test's ({@link ZTest}).
 */
public record Lift(long treated, long treatedConverted, long held, long heldConverted) {

    static final double Z95 = 1.959963984540054;

    public Double treatmentRate() {
        return treated == 0 ? null : (double) treatedConverted / treated;
    }

    public Double holdoutRate() {
        return held == 0 ? null : (double) heldConverted / held;
    }

    public Double absolute() {
        return treated == 0 || held == 0 ? null : treatmentRate() - holdoutRate();
    }

    /** [low, high] of the absolute lift, or null. */
    public double[] absoluteInterval() {
        if (treated == 0 || held == 0) {
            return null;
        }
        double pT = treatmentRate();
        double pH = holdoutRate();
        double se = Math.sqrt(pT * (1 - pT) / treated + pH * (1 - pH) / held);
        return new double[] {absolute() - Z95 * se, absolute() + Z95 * se};
    }

    public Double relative() {
        return treated == 0 || held == 0 || heldConverted == 0 ? null : treatmentRate() / holdoutRate() - 1;
    }

    /** [low, high] of the relative lift, or null. */
    public double[] relativeInterval() {
        if (relative() == null || treatedConverted == 0) {
            return null;
        }
        double pT = treatmentRate();
        double pH = holdoutRate();
        double log = Math.log(pT / pH);
        double se = Math.sqrt((1 - pT) / treatedConverted + (1 - pH) / heldConverted);
        return new double[] {Math.exp(log - Z95 * se) - 1, Math.exp(log + Z95 * se) - 1};
    }

    /** The {@code holdout} block of a campaign's stats. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("treatment", group(treated, treatedConverted));
        out.put("holdout", group(held, heldConverted));
        Map<String, Object> lift = new LinkedHashMap<>();
        lift.put("absolute", round(absolute()));
        lift.put("absoluteCi95", interval(absoluteInterval()));
        lift.put("relative", round(relative()));
        lift.put("relativeCi95", interval(relativeInterval()));
        lift.put("pValue", round(ZTest.of(treatedConverted, treated, heldConverted, held).pValue()));
        out.put("lift", lift);
        out.put("method", "95% intervals: Wald (unpooled) for the difference, Katz log for the ratio; p-value: pooled two-proportion z-test");
        return out;
    }

    private static Map<String, Object> group(long contacts, long converted) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("contacts", contacts);
        g.put("converted", converted);
        g.put("conversion", contacts == 0 ? null : round((double) converted / contacts));
        return g;
    }

    private static Object interval(double[] ci) {
        return ci == null ? null : java.util.List.of(round(ci[0]), round(ci[1]));
    }

    private static Double round(Double v) {
        return v == null ? null : BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }
}
