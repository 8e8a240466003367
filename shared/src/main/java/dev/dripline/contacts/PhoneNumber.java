package dev.dripline.contacts;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.dripline.errors.InvalidInput;
import java.util.List;
import java.util.Locale;

/**
 * A phone number that can receive SMS, in E.164, with what libphonenumber knows of it. It
 * cannot be constructed from a number that is invalid or a known fixed line.
 *
 * @param e164      {@code +14155550123}
 * @param country   ISO 3166 region code, {@code US}
 * @param type      libphonenumber's line type: MOBILE, FIXED_LINE_OR_MOBILE, VOIP...
 * @param timeZones every IANA zone the number may be in (several for some US/CA area codes)
 */
public record PhoneNumber(String e164, String country, String type, List<String> timeZones) {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String UNKNOWN_ZONE = PhoneNumberToTimeZonesMapper.getUnknownTimeZone();

    public PhoneNumber {
        timeZones = List.copyOf(timeZones);
    }

    /**
     * Parses what a user typed. International input ({@code +44...}) needs no country; national
     * input ({@code (415) 555-0123}) needs {@code country}.
     *
     * @param field the request field the number came from, named in the error
     * @throws InvalidInput naming {@code field} when the number is not one an SMS can reach
     */
    public static PhoneNumber parse(String input, String country, String field) {
        if (input == null || input.isBlank()) {
            throw InvalidInput.of(field, "is required");
        }
        String region = country == null || country.isBlank() ? null : country.trim().toUpperCase(Locale.ROOT);
        if (region != null && !UTIL.getSupportedRegions().contains(region)) {
            throw InvalidInput.of("country", "'" + country + "' is not an ISO 3166 country code with a numbering plan");
        }
        Phonenumber.PhoneNumber number;
        try {
            number = UTIL.parse(input.trim(), region == null ? "ZZ" : region);
        } catch (NumberParseException e) {
            String why = switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> region == null
                        ? "is not in international format (+<country code>...); give 'country' for a national number"
                        : "has an unknown country code";
                case NOT_A_NUMBER -> "is not a phone number";
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "is too short";
                case TOO_LONG -> "is too long";
            };
            throw InvalidInput.of(field, why);
        }
        if (!UTIL.isValidNumber(number)) {
            throw InvalidInput.of(field, "is not a valid number for " + regionName(number));
        }
        PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(number);
        switch (type) {
            case FIXED_LINE -> throw InvalidInput.of(field, "is a fixed line, which cannot receive SMS");
            case PREMIUM_RATE, SHARED_COST, UAN, VOICEMAIL, PAGER -> throw InvalidInput.of(field,
                    "is a " + type.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " number, which cannot receive SMS");
            default -> {
            }
        }
        List<String> zones = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number).stream()
                .filter(z -> !UNKNOWN_ZONE.equals(z))
                .toList();
        return new PhoneNumber(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164),
                UTIL.getRegionCodeForNumber(number), type.name(), zones);
    }

    private static String regionName(Phonenumber.PhoneNumber number) {
        String region = UTIL.getRegionCodeForCountryCode(number.getCountryCode());
        return "ZZ".equals(region) ? "country code +" + number.getCountryCode() : region;
    }
}
