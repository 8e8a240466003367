package dev.dripline.analytics;

import dev.dripline.config.Env;
import java.time.Duration;

/**
 * Campaign analytics: how many shards each campaign's and each day's counters are spread over
 * (DRIPLINE_COUNTER_SHARDS; raise it, never lower it: reads sum shards 0..n-1), and how long
 * after an outbound message a reply or an opt-out is still credited to its campaign
 * (DRIPLINE_ATTRIBUTION_WINDOW).
 */
public record AnalyticsSettings(int counterShards, Duration attributionWindow) {

    public static final int DEFAULT_SHARDS = 8;
    public static final Duration DEFAULT_ATTRIBUTION_WINDOW = Duration.ofDays(7);

    public static AnalyticsSettings from(Env env) {
        return new AnalyticsSettings(env.integer("DRIPLINE_COUNTER_SHARDS", DEFAULT_SHARDS, 1, 100),
                env.duration("DRIPLINE_ATTRIBUTION_WINDOW", DEFAULT_ATTRIBUTION_WINDOW));
    }
}
