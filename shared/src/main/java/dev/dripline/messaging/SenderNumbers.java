package dev.dripline.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The numbers (and alphanumeric sender IDs) each provider sends from, with their throughput.
 *
 * <p>{@code DRIPLINE_SENDERS}: {@code provider:id=type[@segmentsPerSecond];...}, e.g.
 * {@code twilio:+14155550100=long_code@1;twilio:+18885550100=toll_free;twilio:12345=short_code@100;vonage:Acme=alphanumeric}.
 * Types and their default rates: {@code long_code} and {@code 10dlc} 1 segment/s, {@code toll_free} 3,
 * {@code short_code} 100, {@code alphanumeric} 30; {@code @0} means unlimited. A provider with no
 * entry sends from its own configured number (DRIPLINE_&lt;PROVIDER&gt;_FROM), typed by its
 * shape and limited at its type's default rate; the simulator from DRIPLINE_SIMULATOR_FROM at
 * DRIPLINE_SIMULATOR_RATE (default 1000, {@code unlimited} to lift it).
 * {@code DRIPLINE_ACCOUNT_RATES}: {@code provider=segmentsPerSecond,...} caps a whole account.
 */
public final class SenderNumbers {

    /** Kinds of sender, with the throughput carriers allow each by default (segments per second). */
    public enum Type {
        LONG_CODE("long_code", 1), TEN_DLC("10dlc", 1), TOLL_FREE("toll_free", 3), SHORT_CODE("short_code", 100),
        ALPHANUMERIC("alphanumeric", 30);

        private final String wire;
        private final double defaultRate;

        Type(String wire, double defaultRate) {
            this.wire = wire;
            this.defaultRate = defaultRate;
        }

        public String wire() {
            return wire;
        }

        public double defaultRate() {
            return defaultRate;
        }

        static Type fromWire(String value) {
            for (Type t : values()) {
                if (t.wire.equals(value)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * One sender.
     *
     * @param rate segments per second; 0 or less: not limited by Dripline
     */
    public record Number(String provider, String id, Type type, double rate) {
        /** The throughput bucket's key. */
        public String key() {
            return provider + ":" + id;
        }

        public boolean limited() {
            return rate > 0;
        }
    }

    /**
     * Countries where alphanumeric sender IDs are not delivered (or need registration Dripline
     * does not model): the sender never picks one for them.
     */
    static final Set<String> NO_ALPHANUMERIC = Set.of("US", "CA", "PR", "CN", "BR", "AR", "CL", "CO", "MX", "JP", "KR", "VN", "ID");

    private static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final Pattern ALPHANUMERIC = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}");
    private static final Pattern NANP_TOLL_FREE = Pattern.compile("\\+1(800|833|844|855|866|877|888)\\d{7}");

    private final Map<String, List<Number>> pools;
    private final Map<String, Double> accountRates;

    private SenderNumbers(Map<String, List<Number>> pools, Map<String, Double> accountRates) {
        this.pools = pools;
        this.accountRates = accountRates;
    }

    public static SenderNumbers none() {
        return new SenderNumbers(Map.of(), Map.of());
    }

    /**
     * @param providerFrom each provider's own configured sender (DRIPLINE_TWILIO_FROM...), used
     *                     for providers DRIPLINE_SENDERS does not list
     * @param simulatorRate the simulator's own sender's rate (DRIPLINE_SIMULATOR_RATE)
     * @throws IllegalArgumentException naming the first malformed entry
     */
    public static SenderNumbers parse(String senders, String accountRates, Map<String, String> providerFrom, double simulatorRate) {
        Map<String, List<Number>> pools = new LinkedHashMap<>();
        if (senders != null) {
            for (String entry : senders.split(";")) {
                if (entry.isBlank()) {
                    continue;
                }
                pools.computeIfAbsent(providerOf(entry), k -> new ArrayList<>()).add(entry(entry.trim()));
            }
        }
        providerFrom.forEach((provider, from) -> {
            if (from != null && !from.isBlank() && !pools.containsKey(provider)) {
                Number own = provider.equals("simulator") ? new Number(provider, from.trim(), Type.LONG_CODE, simulatorRate)
                        : classify(provider, from.trim());
                pools.put(provider, new ArrayList<>(List.of(own)));
            }
        });
        Map<String, Double> accounts = new LinkedHashMap<>();
        if (accountRates != null) {
            for (String entry : accountRates.split("[,;]")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] sides = entry.split("=", -1);
                Double rate = sides.length == 2 ? rate(sides[1]) : null;
                String provider = sides[0].trim().toLowerCase(Locale.ROOT);
                if (rate == null || !PROVIDER.matcher(provider).matches()) {
                    throw new IllegalArgumentException("DRIPLINE_ACCOUNT_RATES: '" + entry.trim() + "' is not provider=segmentsPerSecond");
                }
                accounts.put(provider, rate);
            }
        }
        pools.replaceAll((k, v) -> List.copyOf(v));
        return new SenderNumbers(Map.copyOf(pools), Map.copyOf(accounts));
    }

    private static String providerOf(String entry) {
        int colon = entry.indexOf(':');
        String provider = colon < 0 ? "" : entry.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (!PROVIDER.matcher(provider).matches()) {
            throw malformed(entry);
        }
        return provider;
    }

    private static Number entry(String entry) {
        String provider = providerOf(entry);
        String rest = entry.substring(entry.indexOf(':') + 1);
        String[] sides = rest.split("=", -1);
        if (sides.length != 2 || sides[0].isBlank()) {
            throw malformed(entry);
        }
        String[] typeAndRate = sides[1].trim().split("@", -1);
        Type type = Type.fromWire(typeAndRate[0].trim().toLowerCase(Locale.ROOT));
        Double rate = typeAndRate.length == 1 ? (type == null ? null : type.defaultRate())
                : typeAndRate.length == 2 ? rate(typeAndRate[1]) : null;
        if (type == null || rate == null) {
            throw malformed(entry);
        }
        return new Number(provider, sides[0].trim(), type, rate);
    }

    private static Double rate(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("unlimited")) {
            return 0.0;
        }
        try {
            double d = Double.parseDouble(v);
            return d >= 0 && Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads a rate setting: a non-negative number of segments per second, or {@code unlimited} (0). */
    public static double parseRate(String variable, String value, double fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Double rate = rate(value);
        if (rate == null) {
            throw new IllegalArgumentException(variable + " must be segments per second (a number ≥ 0) or 'unlimited', not '" + value + "'");
        }
        return rate;
    }

    private static IllegalArgumentException malformed(String entry) {
        return new IllegalArgumentException("DRIPLINE_SENDERS: '" + entry + "' is not provider:id=type[@segmentsPerSecond] (types: "
                + String.join(", ", java.util.Arrays.stream(Type.values()).map(Type::wire).toList()) + ")");
    }

    /** A sender not listed anywhere (an explicit {@code from}), typed by its shape at its type's default rate. */
    public static Number classify(String provider, String id) {
        Type type;
        if (NANP_TOLL_FREE.matcher(id).matches()) {
            type = Type.TOLL_FREE;
        } else if (id.matches("\\d{3,8}")) {
            type = Type.SHORT_CODE;
        } else if (id.matches("\\+?\\d{7,15}")) {
            type = Type.LONG_CODE;
        } else if (ALPHANUMERIC.matcher(id).matches()) {
            type = Type.ALPHANUMERIC;
        } else {
            // A pool or an ARN (AWS End User Messaging): the service paces it itself.
            return new Number(provider, id, Type.LONG_CODE, 0);
        }
        return new Number(provider, id, type, type.defaultRate());
    }

    /** The provider's pool, in configured order; empty when it has none. */
    public List<Number> pool(String provider) {
        return pools.getOrDefault(provider, List.of());
    }

    /** The pool's senders that may reach {@code country} (alphanumeric IDs not where they are not delivered). */
    public List<Number> allowedFor(String provider, String country) {
        return pool(provider).stream().filter(n -> alphanumericAllowed(n, country)).toList();
    }

    static boolean alphanumericAllowed(Number n, String country) {
        return n.type() != Type.ALPHANUMERIC || (country != null && !NO_ALPHANUMERIC.contains(country.toUpperCase(Locale.ROOT)));
    }

    /** Every sender of every provider's pool that may reach {@code country}, in configured order (registration gates). */
    public List<String> sendersFor(String country) {
        return pools.keySet().stream().flatMap(p -> allowedFor(p, country).stream()).map(Number::id).distinct().toList();
    }

    /** A named sender as configured, else classified by its shape. */
    public Number lookup(String provider, String id) {
        return pool(provider).stream().filter(n -> n.id().equals(id)).findFirst().orElseGet(() -> classify(provider, id));
    }

    /** The whole account's cap, if one is set. */
    public OptionalDouble accountRate(String provider) {
        Double rate = accountRates.get(provider);
        return rate == null || rate <= 0 ? OptionalDouble.empty() : OptionalDouble.of(rate);
    }

    public Optional<Number> first(String provider) {
        return pool(provider).stream().findFirst();
    }

    @Override
    public String toString() {
        return "SenderNumbers[pools=" + pools.keySet() + ", accountRates=" + accountRates + "]";
    }
}
