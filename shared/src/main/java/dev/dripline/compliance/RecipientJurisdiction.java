package dev.dripline.compliance;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a recipient is, for the law's purposes: candidate jurisdictions such as {@code US-TX}
 * or {@code FR}. A contact's {@code state} or {@code zip} attribute wins over the area code
 * (API.md, Second-wave details); when they disagree every candidate is kept, and the rules of
 * all of them apply at once, which is the strictest reading.
 */
public final class RecipientJurisdiction {

    /** US states and DC, and Canadian provinces, by the names libphonenumber's geocoder prints. */
    private static final Map<String, String> REGION_NAMES = new HashMap<>();
    private static final Pattern CITY_AND_CODE = Pattern.compile(".*,\\s*([A-Z]{2})$");
    private static final TreeMap<Integer, String[]> ZIP3 = new TreeMap<>();

    static {
        String[] names = {"Alabama", "AL", "Alaska", "AK", "Arizona", "AZ", "Arkansas", "AR", "California", "CA", "Colorado", "CO",
            "Connecticut", "CT", "Delaware", "DE", "Florida", "FL", "Georgia", "GA", "Hawaii", "HI", "Idaho", "ID", "Illinois", "IL",
            "Indiana", "IN", "Iowa", "IA", "Kansas", "KS", "Kentucky", "KY", "Louisiana", "LA", "Maine", "ME", "Maryland", "MD",
            "Massachusetts", "MA", "Michigan", "MI", "Minnesota", "MN", "Mississippi", "MS", "Missouri", "MO", "Montana", "MT",
            "Nebraska", "NE", "Nevada", "NV", "New Hampshire", "NH", "New Jersey", "NJ", "New Mexico", "NM", "New York", "NY",
            "North Carolina", "NC", "North Dakota", "ND", "Ohio", "OH", "Oklahoma", "OK", "Oregon", "OR", "Pennsylvania", "PA",
            "Rhode Island", "RI", "South Carolina", "SC", "South Dakota", "SD", "Tennessee", "TN", "Texas", "TX", "Utah", "UT",
            "Vermont", "VT", "Virginia", "VA", "Washington", "WA", "Washington State", "WA", "Washington D.C.", "DC",
            "Washington, D.C.", "DC", "District of Columbia", "DC", "West Virginia", "WV", "Wisconsin", "WI", "Wyoming", "WY",
            "Alberta", "AB", "British Columbia", "BC", "Manitoba", "MB", "New Brunswick", "NB", "Newfoundland and Labrador", "NL",
            "Nova Scotia", "NS", "Ontario", "ON", "Prince Edward Island", "PE", "Quebec", "QC", "Québec", "QC", "Saskatchewan", "SK",
            "Northwest Territories", "NT", "Nunavut", "NU", "Yukon", "YT"};
        for (int i = 0; i < names.length; i += 2) {
            REGION_NAMES.put(names[i], names[i + 1]);
        }
        try (var in = RecipientJurisdiction.class.getClassLoader().getResourceAsStream("dev/dripline/compliance/us-zip3.tsv");
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                ZIP3.put(Integer.parseInt(f[0]), new String[] {f[1], f[2]});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RecipientJurisdiction() {
    }

    /**
     * The candidates for a recipient, most specific first: {@code US-TX}, or the country alone
     * ({@code FR}) when nothing finer is known, or {@code default} when not even that is.
     *
     * @param country    the contact's country (ISO 3166-1), else taken from the number
     * @param attributes the contact's attributes ({@code state}, {@code zip}), may be null
     */
    public static List<String> candidates(String country, String e164, Map<String, ?> attributes) {
        String c = country == null || country.isBlank() ? countryOf(e164) : country.toUpperCase(Locale.ROOT);
        if (c == null) {
            return List.of("default");
        }
        Set<String> out = new LinkedHashSet<>();
        if (c.equals("US") || c.equals("CA")) {
            Object state = attributes == null ? null : attributes.get("state");
            if (state instanceof String s && s.trim().length() == 2) {
                out.add(c + "-" + s.trim().toUpperCase(Locale.ROOT));
            }
            Object zip = attributes == null ? null : attributes.get("zip");
            if (c.equals("US") && zip != null) {
                stateOfZip(zip.toString()).ifPresent(st -> out.add("US-" + st));
            }
            if (out.isEmpty()) {
                stateOfNumber(e164).ifPresent(st -> out.add(c + "-" + st));
            }
        }
        if (out.isEmpty()) {
            out.add(c);
        }
        return List.copyOf(new ArrayList<>(out));
    }

    /** The US state of a ZIP code from its first three digits. */
    public static Optional<String> stateOfZip(String zip) {
        String digits = zip == null ? "" : zip.trim();
        if (digits.length() < 5 || !digits.substring(0, 5).chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(digits.substring(0, 3));
        Map.Entry<Integer, String[]> e = ZIP3.floorEntry(prefix);
        if (e == null || prefix > Integer.parseInt(e.getValue()[0])) {
            return Optional.empty();
        }
        return Optional.of(e.getValue()[1]);
    }

    /** The state or province of a +1 number, from libphonenumber's geocoder ("Texas", "Dallas, TX"). */
    public static Optional<String> stateOfNumber(String e164) {
        if (e164 == null || !e164.startsWith("+1")) {
            return Optional.empty();
        }
        try {
            var number = PhoneNumberUtil.getInstance().parse(e164, null);
            String where = PhoneNumberOfflineGeocoder.getInstance().getDescriptionForNumber(number, Locale.ENGLISH);
            if (where == null || where.isBlank()) {
                return Optional.empty();
            }
            String named = REGION_NAMES.get(where.trim());
            if (named != null) {
                return Optional.of(named);
            }
            Matcher m = CITY_AND_CODE.matcher(where.trim());
            return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    private static String countryOf(String e164) {
        try {
            String region = PhoneNumberUtil.getInstance().getRegionCodeForNumber(PhoneNumberUtil.getInstance().parse(e164, null));
            return region == null || region.equals("ZZ") ? null : region;
        } catch (NumberParseException | RuntimeException e) {
            return null;
        }
    }
}
