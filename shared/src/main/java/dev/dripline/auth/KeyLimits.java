package dev.dripline.auth;

import java.util.Map;

/**
 * Requests each API key may make: a token bucket of {@code burst} requests refilled at
 * {@code perSecond} (DRIPLINE_API_RATE, default 20 per second; DRIPLINE_API_BURST, default 40).
 */
public record KeyLimits(double perSecond, int burst) {

    public static KeyLimits from(Map<String, String> env) {
        double rate;
        int burst;
        try {
            rate = Double.parseDouble(env.getOrDefault("DRIPLINE_API_RATE", "20").trim());
            burst = Integer.parseInt(env.getOrDefault("DRIPLINE_API_BURST", "40").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DRIPLINE_API_RATE and DRIPLINE_API_BURST must be numbers: " + e.getMessage());
        }
        if (!(rate > 0) || burst < 1) {
            throw new IllegalArgumentException("DRIPLINE_API_RATE must be above 0 and DRIPLINE_API_BURST at least 1");
        }
        return new KeyLimits(rate, burst);
    }
}
