package dev.dripline.messaging;

import dev.dripline.config.Env;
import dev.dripline.providers.ProviderSettings;
import java.time.Duration;

/**
 * How the sender treats messages.
 *
 * @param validity          a message older than this when the sender gets it is expired, not
 *                          sent (DRIPLINE_SEND_VALIDITY, default PT24H)
 * @param maxAttempts       rounds of provider calls before a message fails as
 *                          retries_exhausted (DRIPLINE_SEND_MAX_ATTEMPTS, default 8)
 * @param routes            providers per destination country (DRIPLINE_ROUTES)
 * @param prices            price per part per provider and country (DRIPLINE_PRICES)
 * @param breakerFailures   consecutive failures that open a provider's circuit breaker
 *                          (DRIPLINE_BREAKER_FAILURES, default 5)
 * @param breakerCoolDown   how long an open breaker skips its provider (DRIPLINE_BREAKER_COOL_DOWN, default PT30S)
 * @param providerTimeout   how long a provider call may take before its outcome is unknown
 *                          (DRIPLINE_PROVIDER_TIMEOUT, default PT10S)
 * @param numbers           sender numbers per provider, their throughput and the accounts' caps
 *                          (DRIPLINE_SENDERS, DRIPLINE_ACCOUNT_RATES, DRIPLINE_SIMULATOR_RATE)
 * @param bodyRetention     how long message items (and so their bodies) are kept: DynamoDB TTL
 *                          removes the whole item after this (DRIPLINE_BODY_RETENTION, default P90D)
 */
public record SenderSettings(Duration validity, int maxAttempts, Routes routes, PriceTable prices,
                             int breakerFailures, Duration breakerCoolDown, Duration providerTimeout,
                             SenderNumbers numbers, Duration bodyRetention) {

    public static final Duration DEFAULT_BODY_RETENTION = Duration.ofDays(90);
    public static final double DEFAULT_SIMULATOR_RATE = 1000;
    public static final String DEFAULT_SIMULATOR_FROM = ProviderSettings.DEFAULT_SIMULATOR_FROM;

    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);
    public static final int DEFAULT_MAX_ATTEMPTS = 8;

    public static SenderSettings from(Env env) {
        return new SenderSettings(
                env.duration("DRIPLINE_SEND_VALIDITY", DEFAULT_VALIDITY),
                env.integer("DRIPLINE_SEND_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1, Integer.MAX_VALUE),
                Routes.parse(env.asMap().get("DRIPLINE_ROUTES")),
                PriceTable.parse(env.asMap().get("DRIPLINE_PRICES")),
                env.integer("DRIPLINE_BREAKER_FAILURES", CircuitBreakers.DEFAULT_FAILURES, 1, Integer.MAX_VALUE),
                env.duration("DRIPLINE_BREAKER_COOL_DOWN", CircuitBreakers.DEFAULT_COOL_DOWN),
                env.duration("DRIPLINE_PROVIDER_TIMEOUT", Duration.ofSeconds(10)),
                SenderNumbers.parse(env.asMap().get("DRIPLINE_SENDERS"), env.asMap().get("DRIPLINE_ACCOUNT_RATES"),
                        ProviderSettings.ownSenders(env),
                        SenderNumbers.parseRate("DRIPLINE_SIMULATOR_RATE", env.asMap().get("DRIPLINE_SIMULATOR_RATE"), DEFAULT_SIMULATOR_RATE)),
                env.duration("DRIPLINE_BODY_RETENTION", DEFAULT_BODY_RETENTION));
    }
}
