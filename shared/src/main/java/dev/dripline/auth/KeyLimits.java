package dev.dripline.auth;

import dev.dripline.config.Env;

/**
 * Requests each API key may make: a token bucket of {@code burst} requests refilled at
 * {@code perSecond} (DRIPLINE_API_RATE, default 20 per second; DRIPLINE_API_BURST, default 40).
 */
public record KeyLimits(double perSecond, int burst) {

    public static KeyLimits from(Env env) {
        return new KeyLimits(env.positiveNumber("DRIPLINE_API_RATE", 20), env.integer("DRIPLINE_API_BURST", 40, 1, Integer.MAX_VALUE));
    }
}
