package dev.dripline.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which providers, in which order, carry a message to each destination country
 * (DRIPLINE_ROUTES). Format: {@code COUNTRY=provider,provider;COUNTRY=provider;*=provider},
 * countries as ISO 3166 alpha-2 codes, {@code *} for every country not named. A country with
 * no route (and no {@code *}) uses the fallback order, DRIPLINE_PROVIDERS.
 *
 * <p>Example: {@code US=twilio,telnyx;GB=vonage;*=twilio}.
 */
public final class Routes {

    public static final String ANY = "*";
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}|\\*");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    private final Map<String, List<String>> byCountry;

    private Routes(Map<String, List<String>> byCountry) {
        this.byCountry = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byCountry));
    }

    public static Routes none() {
        return new Routes(Map.of());
    }

    /** @throws IllegalArgumentException naming the first malformed entry */
    public static Routes parse(String spec) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return none();
        }
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] sides = entry.split("=", -1);
            String country = sides[0].trim().toUpperCase(Locale.ROOT);
            if (sides.length != 2 || !COUNTRY.matcher(country).matches()) {
                throw new IllegalArgumentException("DRIPLINE_ROUTES: '" + entry.trim()
                        + "' is not COUNTRY=provider[,provider...] (COUNTRY: ISO 3166 alpha-2 or *)");
            }
            List<String> providers = new ArrayList<>();
            for (String name : sides[1].split(",")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (!NAME.matcher(n).matches()) {
                    throw new IllegalArgumentException("DRIPLINE_ROUTES: '" + entry.trim() + "' names no provider or a malformed one");
                }
                if (!providers.contains(n)) {
                    providers.add(n);
                }
            }
            if (routes.put(country, List.copyOf(providers)) != null) {
                throw new IllegalArgumentException("DRIPLINE_ROUTES: " + country + " has two routes");
            }
        }
        return new Routes(routes);
    }

    /** The providers for {@code country} (null or unknown: the {@code *} route), else {@code fallback}. */
    public List<String> providersFor(String country, List<String> fallback) {
        List<String> route = country == null ? null : byCountry.get(country.toUpperCase(Locale.ROOT));
        if (route == null) {
            route = byCountry.get(ANY);
        }
        return route == null ? fallback : route;
    }

    /** Every provider some route names, to check them against the configured ones at start-up. */
    public List<String> providersNamed() {
        return byCountry.values().stream().flatMap(List::stream).distinct().toList();
    }

    @Override
    public String toString() {
        return byCountry.toString();
    }
}
