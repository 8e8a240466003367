package dev.dripline.verifications;

import dev.dripline.config.Env;
import dev.dripline.config.Secret;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How verification codes are made and rationed.
 *
 * @param secret          DRIPLINE_VERIFY_SECRET: the HMAC key codes are stored under (on AWS from
 *                        DRIPLINE_VERIFY_SECRET_ARN, {@code {"secret": "..."}}); absent, sends answer 409
 * @param codeLength      DRIPLINE_VERIFY_CODE_LENGTH: digits per code, 4 to 10 (default 6)
 * @param lifetime        DRIPLINE_VERIFY_LIFETIME: how long a code can be checked (ISO-8601, default PT10M)
 * @param maxChecks       DRIPLINE_VERIFY_MAX_CHECKS: checks per code before it is burnt (default 5)
 * @param perNumberPerHour DRIPLINE_VERIFY_SENDS_PER_NUMBER: codes per number per clock hour (default 5)
 * @param perPrefixPerHour DRIPLINE_VERIFY_SENDS_PER_PREFIX: codes per number prefix per clock hour (default 50)
 * @param prefixDigits    DRIPLINE_VERIFY_PREFIX_DIGITS: national digits after the country code that
 *                        make a prefix (default 3: a US area code, a UK range)
 * @param countries       DRIPLINE_VERIFY_COUNTRIES: ISO regions codes may be sent to, comma-separated,
 *                        {@code *} for all (default US,CA)
 */
public record VerificationSettings(Optional<Secret> secret, int codeLength, Duration lifetime, int maxChecks, int perNumberPerHour,
                                   int perPrefixPerHour, int prefixDigits, Set<String> countries) {

    public static VerificationSettings from(Env env) {
        return new VerificationSettings(
                env.secret("DRIPLINE_VERIFY_SECRET"),
                env.integer("DRIPLINE_VERIFY_CODE_LENGTH", 6, 4, 10),
                env.duration("DRIPLINE_VERIFY_LIFETIME", Duration.ofMinutes(10)),
                env.integer("DRIPLINE_VERIFY_MAX_CHECKS", 5, 1, 100),
                env.integer("DRIPLINE_VERIFY_SENDS_PER_NUMBER", 5, 1, 1_000_000),
                env.integer("DRIPLINE_VERIFY_SENDS_PER_PREFIX", 50, 1, 1_000_000),
                env.integer("DRIPLINE_VERIFY_PREFIX_DIGITS", 3, 0, 10),
                env.list("DRIPLINE_VERIFY_COUNTRIES", "US,CA").stream().map(s -> s.toUpperCase(Locale.ROOT))
                        .collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether codes may go to numbers of {@code region} (an ISO 3166 code). */
    public boolean allows(String region) {
        return countries.contains("*") || countries.contains(region);
    }
}
