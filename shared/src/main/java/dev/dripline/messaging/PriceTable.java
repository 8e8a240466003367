package dev.dripline.messaging;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one message part costs per provider and destination country, to estimate a message's
 * cost when the provider does not say it at send time (DRIPLINE_PRICES). Format:
 * {@code provider:COUNTRY=price;provider:*=price}, prices in the account's currency per part.
 *
 * <p>Example: {@code twilio:US=0.0079;twilio:*=0.05}. An MMS is priced on its own, per message (it
 * is not split in parts): {@code twilio:US:mms=0.02} (and {@code twilio:*:mms=...}); an MMS without
 * an MMS price has no estimate, never a text's.
 */
public final class PriceTable {

    private static final Pattern KEY = Pattern.compile("([a-z][a-z0-9_-]*):([A-Z]{2}|\\*)(:MMS)?");

    private final Map<String, BigDecimal> perPart;

    private PriceTable(Map<String, BigDecimal> perPart) {
        this.perPart = Map.copyOf(perPart);
    }

    public static PriceTable none() {
        return new PriceTable(Map.of());
    }

    /** @throws IllegalArgumentException naming the first malformed entry */
    public static PriceTable parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return none();
        }
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] sides = entry.split("=", -1);
            String key = sides[0].trim();
            int colon = key.indexOf(':');
            String normal = colon < 0 ? key : key.substring(0, colon).toLowerCase(Locale.ROOT) + key.substring(colon).toUpperCase(Locale.ROOT);
            BigDecimal price;
            try {
                price = sides.length == 2 ? new BigDecimal(sides[1].trim()) : null;
            } catch (NumberFormatException e) {
                price = null;
            }
            if (price == null || price.signum() < 0 || !KEY.matcher(normal).matches()) {
                throw new IllegalArgumentException("DRIPLINE_PRICES: '" + entry.trim()
                        + "' is not provider:COUNTRY=price or provider:COUNTRY:mms=price (COUNTRY: ISO 3166 alpha-2 or *; price a non-negative decimal)");
            }
            prices.put(normal, price);
        }
        return new PriceTable(prices);
    }

    /** The price of one part from {@code provider} to {@code country}, else its {@code *} price. */
    public Optional<BigDecimal> perPart(String provider, String country) {
        BigDecimal price = country == null ? null : perPart.get(provider + ":" + country.toUpperCase(Locale.ROOT));
        return Optional.ofNullable(price != null ? price : perPart.get(provider + ":" + Routes.ANY));
    }

    /** The price of one MMS from {@code provider} to {@code country}, else its {@code *:mms} price. */
    public Optional<BigDecimal> perMms(String provider, String country) {
        BigDecimal price = country == null ? null : perPart.get(provider + ":" + country.toUpperCase(Locale.ROOT) + ":MMS");
        return Optional.ofNullable(price != null ? price : perPart.get(provider + ":" + Routes.ANY + ":MMS"));
    }

    /** parts × the per-part price, when a price is configured and the parts are known. */
    public Optional<BigDecimal> estimate(String provider, String country, Integer parts) {
        if (parts == null) {
            return Optional.empty();
        }
        return perPart(provider, country).map(p -> p.multiply(BigDecimal.valueOf(parts)));
    }
}
