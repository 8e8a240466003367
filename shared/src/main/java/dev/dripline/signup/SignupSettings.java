package dev.dripline.signup;

import dev.dripline.config.ConfigurationError;
import dev.dripline.config.Env;
import dev.dripline.providers.ProviderSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sign-up forms' abuse limits (SMS pumping): submissions that send a text, per hour, per phone
 * number (DRIPLINE_SIGNUP_PER_PHONE, default 3), per client IP (DRIPLINE_SIGNUP_PER_IP, 10) and
 * per country calling code (DRIPLINE_SIGNUP_PER_COUNTRY, 200); and the countries whose numbers
 * may sign up (DRIPLINE_SIGNUP_COUNTRIES, ISO codes such as {@code US,CA}). Without that list:
 * the countries of the numbers the senders send from (a +1 sender serves both the US and
 * Canada), or US and CA when no sender has a phone number.
 *
 * @param countries the first is the region of numbers typed without a country code
 */
public record SignupSettings(List<String> countries, int perPhone, int perIp, int perCountry) {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    public static SignupSettings from(Env env) {
        List<String> countries = env.optional("DRIPLINE_SIGNUP_COUNTRIES").map(SignupSettings::parseCountries)
                .orElseGet(() -> sendersCountries(env));
        return new SignupSettings(countries, env.integer("DRIPLINE_SIGNUP_PER_PHONE", 3, 1, 1000),
                env.integer("DRIPLINE_SIGNUP_PER_IP", 10, 1, 100_000), env.integer("DRIPLINE_SIGNUP_PER_COUNTRY", 200, 1, 10_000_000));
    }

    public boolean allows(String country) {
        return countries.contains(country);
    }

    private static List<String> parseCountries(String spec) {
        List<String> out = new ArrayList<>();
        for (String c : spec.split(",")) {
            String code = c.strip().toUpperCase(Locale.ROOT);
            if (code.isEmpty()) {
                continue;
            }
            if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)) {
                throw new ConfigurationError("DRIPLINE_SIGNUP_COUNTRIES", "DRIPLINE_SIGNUP_COUNTRIES: '" + c.strip() + "' is not an ISO 3166 country code with a numbering plan");
            }
            if (!out.contains(code)) {
                out.add(code);
            }
        }
        if (out.isEmpty()) {
            throw new ConfigurationError("DRIPLINE_SIGNUP_COUNTRIES", "DRIPLINE_SIGNUP_COUNTRIES is empty: name at least one country (US,CA) or leave it unset");
        }
        return List.copyOf(out);
    }

    /** The countries of the senders' phone numbers (DRIPLINE_SENDERS and each provider's own sender). */
    private static List<String> sendersCountries(Env env) {
        Set<String> numbers = new LinkedHashSet<>();
        Matcher m = E164.matcher(env.string("DRIPLINE_SENDERS", ""));
        while (m.find()) {
            numbers.add(m.group());
        }
        ProviderSettings.ownSenders(env).values().stream().filter(v -> E164.matcher(v).matches()).forEach(numbers::add);
        Set<String> countries = new LinkedHashSet<>();
        for (String number : numbers) {
            if (number.startsWith("+1")) {
                countries.add("US");
                countries.add("CA");
                continue;
            }
            try {
                // A sender may be a landline or toll-free number, which PhoneNumber refuses: only its country matters here.
                var util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
                String region = util.getRegionCodeForCountryCode(util.parse(number, "ZZ").getCountryCode());
                if (region != null && !"ZZ".equals(region)) {
                    countries.add(region);
                }
            } catch (com.google.i18n.phonenumbers.NumberParseException unparsable) {
                // Not a number a country can be read from: it decides nothing.
            }
        }
        return countries.isEmpty() ? List.of("US", "CA") : List.copyOf(countries);
    }
}
