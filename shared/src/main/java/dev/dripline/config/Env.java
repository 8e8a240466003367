package dev.dripline.config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of the environment (System.getenv() on AWS, the local runtime's map, a test's).
 * Each getter takes the variable's name and its default; a blank value counts as unset; a value
 * it cannot use is a {@link ConfigurationError} naming the variable and the value.
 *
 * <p>Durations follow one rule, {@link #parseDuration}, for every variable.
 */
public final class Env {

    /** What every duration variable accepts, said in its errors. */
    public static final String DURATION_RULE = "an ISO-8601 duration such as PT30S, PT15M, PT24H, P7D or P1DT12H"
            + " (P<n>W counts 7 days, P<n>M 30 days, P<n>Y 365 days)";

    private static final Pattern DATE_PART = Pattern.compile("P(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)W)?(?:(\\d+)D)?");

    private final Map<String, String> variables;

    private Env(Map<String, String> variables) {
        this.variables = variables;
    }

    public static Env of(Map<String, String> variables) {
        return new Env(variables);
    }

    /** The variables as given (for readers that take a map, such as SecretValues). */
    public Map<String, String> asMap() {
        return variables;
    }

    /** Whether the variable is present at all, even blank. */
    public boolean contains(String name) {
        return variables.containsKey(name);
    }

    /** The value exactly as set (not trimmed), or {@code fallback} when absent. */
    public String string(String name, String fallback) {
        return variables.getOrDefault(name, fallback);
    }

    /** The trimmed value, empty when absent or blank. */
    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The trimmed value, null when absent or blank (for records whose optional parts are nullable). */
    public String orNull(String name) {
        return optional(name).orElse(null);
    }

    public Optional<Secret> secret(String name) {
        return optional(name).map(Secret::of);
    }

    /** A whole number from {@code min} to {@code max}. */
    public int integer(String name, int fallback, int min, int max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        String range = max == Integer.MAX_VALUE ? "a whole number of at least " + min : "a whole number from " + min + " to " + max;
        throw ConfigurationError.of(name, variables.get(name), range);
    }

    /** A number above zero (a rate). */
    public double positiveNumber(String name, double fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(value.get());
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigurationError.of(name, variables.get(name), "a number above 0");
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean flag(String name, boolean fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ConfigurationError.of(name, variables.get(name), "true or false");
        };
    }

    /** A duration above zero, by {@link #parseDuration}. */
    public Duration duration(String name, Duration fallback) {
        Duration d = durationOrZero(name, fallback);
        if (d.isZero()) {
            throw ConfigurationError.of(name, variables.get(name), "a positive duration: " + DURATION_RULE);
        }
        return d;
    }

    /** A duration of zero or more (PT0S turns a feature's wait off), by {@link #parseDuration}. */
    public Duration durationOrZero(String name, Duration fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return parseDuration(value.get());
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw ConfigurationError.of(name, variables.get(name), DURATION_RULE);
        }
    }

    /** Comma-separated values, trimmed, blanks dropped. */
    public List<String> list(String name, String fallback) {
        return Arrays.stream(variables.getOrDefault(name, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** An absolute URL, without a trailing slash. */
    public URI url(String name, String fallback) {
        return optional(name).map(v -> absolute(name, stripTrailingSlash(v))).orElseGet(() -> fallback == null ? null : URI.create(stripTrailingSlash(fallback)));
    }

    /** An absolute URL without a trailing slash (a base URL), when set. */
    public Optional<URI> optionalUrl(String name) {
        return optional(name).map(v -> absolute(name, stripTrailingSlash(v)));
    }

    /** An absolute URL exactly as set (an endpoint to post to), when set. */
    public Optional<URI> optionalUri(String name) {
        return optional(name).map(v -> absolute(name, v));
    }

    private URI absolute(String name, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ConfigurationError.of(name, variables.get(name), "an absolute URL such as https://example.com");
    }

    public static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * The duration rule of every DRIPLINE_* duration: ISO-8601 {@code P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]},
     * any case, no signs. Lengths must be fixed (TTLs, delays), so the calendar units count as a
     * fixed number of days: a year 365, a month 30, a week 7. {@code P1Y2D} is 367 days.
     *
     * @throws DateTimeParseException when the text is not such a duration
     */
    public static Duration parseDuration(String text) {
        String v = text.trim().toUpperCase(Locale.ROOT);
        if (v.contains("-") || v.contains("+")) {
            throw new DateTimeParseException("signed durations are not accepted", text, 0);
        }
        int t = v.indexOf('T');
        String date = t < 0 ? v : v.substring(0, t);
        String time = t < 0 ? "" : v.substring(t + 1);
        Matcher m = DATE_PART.matcher(date);
        if (!m.matches() || (date.length() < 2 && time.isEmpty())) {
            throw new DateTimeParseException("not an ISO-8601 duration", text, 0);
        }
        long days = Math.addExact(Math.addExact(Math.multiplyExact(number(m, 1), 365L), Math.multiplyExact(number(m, 2), 30L)),
                Math.addExact(Math.multiplyExact(number(m, 3), 7L), number(m, 4)));
        Duration d = Duration.ofDays(days);
        if (t >= 0) {
            // java.time reads the time part (H, M, fractional S); an empty "T" is refused there.
            d = d.plus(Duration.parse("PT" + time));
        }
        return d;
    }

    private static long number(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }
}
