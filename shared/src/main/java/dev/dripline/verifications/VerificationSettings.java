package dev.dripline.verifications;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
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
public record VerificationSettings(Optional<String> secret, int codeLength, Duration lifetime, int maxChecks, int perNumberPerHour,
                                   int perPrefixPerHour, int prefixDigits, Set<String> countries) {

    public static VerificationSettings from(Map<String, String> env) {
        String countries = env.getOrDefault("DRIPLINE_VERIFY_COUNTRIES", "US,CA");
        return new VerificationSettings(
                Optional.ofNullable(env.get("DRIPLINE_VERIFY_SECRET")).map(String::trim).filter(s -> !s.isEmpty()),
                whole(env, "DRIPLINE_VERIFY_CODE_LENGTH", 6, 4, 10),
                lifetime(env),
                whole(env, "DRIPLINE_VERIFY_MAX_CHECKS", 5, 1, 100),
                whole(env, "DRIPLINE_VERIFY_SENDS_PER_NUMBER", 5, 1, 1_000_000),
                whole(env, "DRIPLINE_VERIFY_SENDS_PER_PREFIX", 50, 1, 1_000_000),
                whole(env, "DRIPLINE_VERIFY_PREFIX_DIGITS", 3, 0, 10),
                Arrays.stream(countries.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether codes may go to numbers of {@code region} (an ISO 3166 code). */
    public boolean allows(String region) {
        return countries.contains("*") || countries.contains(region);
    }

    private static Duration lifetime(Map<String, String> env) {
        String value = env.get("DRIPLINE_VERIFY_LIFETIME");
        if (value == null || value.isBlank()) {
            return Duration.ofMinutes(10);
        }
        try {
            Duration d = Duration.parse(value.trim());
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("DRIPLINE_VERIFY_LIFETIME must be a positive ISO-8601 duration such as PT10M, not '" + value + "'");
    }

    private static int whole(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }

    @Override
    public String toString() {
        return "VerificationSettings[secret=" + secret.map(s -> "****") + ", codeLength=" + codeLength + ", lifetime=" + lifetime
                + ", maxChecks=" + maxChecks + ", perNumberPerHour=" + perNumberPerHour + ", perPrefixPerHour=" + perPrefixPerHour
                + ", prefixDigits=" + prefixDigits + ", countries=" + countries + "]";
    }
}
