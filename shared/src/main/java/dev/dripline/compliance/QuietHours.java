package dev.dripline.compliance;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When marketing may reach a person: inside the jurisdiction's daily window in the recipient's
 * local time, in every zone the recipient may be in. A message due outside it is deferred to
 * {@link #nextAllowed}, never dropped. Transactional messages never ask.
 */
public final class QuietHours {

    /** Guard against zone sets whose windows never overlap (not seen in practice). */
    private static final int MAX_STEPS = 400;

    private QuietHours() {
    }

    /**
     * One jurisdiction's rule: sends allowed from {@code start} (inclusive) to {@code end}
     * (exclusive) local time, except on Sundays when {@code sundaysClosed}, and on public holidays.
     */
    public record Jurisdiction(String name, LocalTime start, LocalTime end, boolean sundaysClosed, boolean frenchHolidays,
                               Set<DayOfWeek> openDays) {

        public Jurisdiction(String name, LocalTime start, LocalTime end, boolean sundaysClosed, boolean frenchHolidays) {
            this(name, start, end, sundaysClosed, frenchHolidays, java.util.EnumSet.allOf(DayOfWeek.class));
        }

        /**
         * This rule narrowed by a campaign's own window: the later start, the earlier end, only
         * the days both allow. A campaign can narrow the quiet hours, never widen them.
         *
         * @throws IllegalArgumentException when the two windows do not overlap at all
         */
        public Jurisdiction narrowedTo(LocalTime windowStart, LocalTime windowEnd, Set<DayOfWeek> days) {
            LocalTime s = windowStart.isAfter(start) ? windowStart : start;
            LocalTime e = windowEnd.isBefore(end) ? windowEnd : end;
            Set<DayOfWeek> open = java.util.EnumSet.noneOf(DayOfWeek.class);
            open.addAll(openDays);
            open.retainAll(days);
            if (!s.isBefore(e) || open.isEmpty()) {
                throw new IllegalArgumentException("the send window " + windowStart + "-" + windowEnd + " " + days
                        + " does not overlap the quiet hours of " + name + " (" + start + "-" + end + ")");
            }
            return new Jurisdiction(name + " ∩ window", s, e, sundaysClosed, frenchHolidays, open);
        }

        /** The product's default: 08:00-21:00 every day. */
        public static final Jurisdiction DEFAULT = new Jurisdiction("default", LocalTime.of(8, 0), LocalTime.of(21, 0), false, false);
        /** US states FL, CT, MD, OK, WA: 08:00-20:00. */
        public static final Jurisdiction US_STRICT_STATES = new Jurisdiction("US-FL/CT/MD/OK/WA", LocalTime.of(8, 0), LocalTime.of(20, 0), false, false);
        /** France: 08:00-22:00 Monday to Saturday; never on Sundays or public holidays. */
        public static final Jurisdiction FRANCE = new Jurisdiction("FR", LocalTime.of(8, 0), LocalTime.of(22, 0), true, true);

        /** Area codes of the US states with stricter hours (FL, CT, MD, OK, WA). */
        private static final Set<String> STRICT_AREA_CODES = Set.of(
                // Florida
                "239", "305", "321", "324", "352", "386", "407", "448", "561", "645", "656", "689", "727", "728", "754", "772",
                "786", "813", "850", "863", "904", "941", "954",
                // Connecticut
                "203", "475", "860", "959",
                // Maryland
                "227", "240", "301", "410", "443", "667",
                // Oklahoma
                "405", "539", "572", "580", "918",
                // Washington
                "206", "253", "360", "425", "509", "564");

        /** The rule for a recipient: by country, and for the US by the number's area code. */
        public static Jurisdiction of(String country, String e164) {
            String c = country == null ? "" : country.toUpperCase(Locale.ROOT);
            if (c.equals("FR")) {
                return FRANCE;
            }
            if (c.equals("US") && e164 != null && e164.startsWith("+1") && e164.length() >= 5
                    && STRICT_AREA_CODES.contains(e164.substring(2, 5))) {
                return US_STRICT_STATES;
            }
            return DEFAULT;
        }

        boolean closedOn(LocalDate day) {
            return (sundaysClosed && day.getDayOfWeek() == DayOfWeek.SUNDAY) || (frenchHolidays && frenchHoliday(day))
                    || !openDays.contains(day.getDayOfWeek());
        }
    }

    /** Whether a send at {@code at} is allowed in every zone. */
    public static boolean allows(Instant at, List<ZoneId> zones, Jurisdiction j) {
        return nextAllowed(at, zones, j).equals(at);
    }

    /**
     * The first instant at or after {@code at} when the window is open in every one of
     * {@code zones} ({@code at} itself when it is open already).
     *
     * @throws IllegalArgumentException when no zone is given
     * @throws IllegalStateException    when the zones' windows never overlap
     */
    public static Instant nextAllowed(Instant at, List<ZoneId> zones, Jurisdiction j) {
        if (zones == null || zones.isEmpty()) {
            throw new IllegalArgumentException("quiet hours need at least one time zone");
        }
        Instant t = at;
        for (int step = 0; step < MAX_STEPS; step++) {
            Instant latest = t;
            for (ZoneId zone : zones) {
                Instant opening = nextOpening(t, zone, j);
                if (opening.isAfter(latest)) {
                    latest = opening;
                }
            }
            if (latest.equals(t)) {
                return t;
            }
            t = latest;
        }
        throw new IllegalStateException("the windows of " + zones + " never overlap under " + j.name());
    }

    /** {@code t} if the window is open then in {@code zone}, else when it next opens there. */
    private static Instant nextOpening(Instant t, ZoneId zone, Jurisdiction j) {
        ZonedDateTime local = t.atZone(zone);
        LocalDate day = local.toLocalDate();
        LocalTime time = local.toLocalTime();
        if (!j.closedOn(day) && !time.isBefore(j.start()) && time.isBefore(j.end())) {
            return t;
        }
        if (j.closedOn(day) || !time.isBefore(j.end())) {
            day = day.plusDays(1);
        }
        while (j.closedOn(day)) {
            day = day.plusDays(1);
        }
        // atZone moves a start inside a DST gap forward, never back.
        return day.atTime(j.start()).atZone(zone).toInstant();
    }

    private static final Set<MonthDay> FRENCH_FIXED = Set.of(MonthDay.of(1, 1), MonthDay.of(5, 1), MonthDay.of(5, 8),
            MonthDay.of(7, 14), MonthDay.of(8, 15), MonthDay.of(11, 1), MonthDay.of(11, 11), MonthDay.of(12, 25));

    /** France's public holidays: eight fixed dates, Easter Monday, Ascension, Whit Monday. */
    static boolean frenchHoliday(LocalDate day) {
        if (FRENCH_FIXED.contains(MonthDay.from(day))) {
            return true;
        }
        LocalDate easter = easter(day.getYear());
        return day.equals(easter.plusDays(1)) || day.equals(easter.plusDays(39)) || day.equals(easter.plusDays(50));
    }

    /** Gregorian Easter Sunday (the anonymous Gregorian algorithm). */
    static LocalDate easter(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, dayOfMonth);
    }
}
