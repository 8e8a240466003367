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
     * What holds marketing to a recipient: a fixed daily window ({@code start} inclusive to
     * {@code end} exclusive, closed on Sundays when {@code sundaysClosed}, on French public
     * holidays when {@code frenchHolidays}, open only on {@code openDays}), and, for a recipient
     * placed by {@link #of}, every hours rule of the {@link RulesTable} that covers one of its
     * candidate jurisdictions and is in force on the local day. All of them must allow a send.
     */
    public static final class Jurisdiction {
        private final String name;
        private final LocalTime start;
        private final LocalTime end;
        private final boolean sundaysClosed;
        private final boolean frenchHolidays;
        private final Set<DayOfWeek> openDays;
        /** Null for a fixed window alone. */
        private final List<String> candidates;
        private final RulesTable table;
        /** Set when this jurisdiction stands for one rule alone (to find which rule held a message). */
        private final Rule only;

        private Jurisdiction(String name, LocalTime start, LocalTime end, boolean sundaysClosed, boolean frenchHolidays,
                             Set<DayOfWeek> openDays, List<String> candidates, RulesTable table, Rule only) {
            this.name = name;
            this.start = start;
            this.end = end;
            this.sundaysClosed = sundaysClosed;
            this.frenchHolidays = frenchHolidays;
            this.openDays = java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(openDays));
            this.candidates = candidates;
            this.table = table;
            this.only = only;
        }

        public Jurisdiction(String name, LocalTime start, LocalTime end, boolean sundaysClosed, boolean frenchHolidays,
                            Set<DayOfWeek> openDays) {
            this(name, start, end, sundaysClosed, frenchHolidays, openDays, null, null, null);
        }

        public Jurisdiction(String name, LocalTime start, LocalTime end, boolean sundaysClosed, boolean frenchHolidays) {
            this(name, start, end, sundaysClosed, frenchHolidays, java.util.EnumSet.allOf(DayOfWeek.class));
        }

        public String name() {
            return name;
        }

        public LocalTime start() {
            return start;
        }

        public LocalTime end() {
            return end;
        }

        public boolean sundaysClosed() {
            return sundaysClosed;
        }

        public boolean frenchHolidays() {
            return frenchHolidays;
        }

        public Set<DayOfWeek> openDays() {
            return openDays;
        }

        /** The recipient's candidate jurisdictions ({@code US-TX}), empty for a fixed window alone. */
        public List<String> candidates() {
            return candidates == null ? List.of() : candidates;
        }

        /** The rules table this jurisdiction reads, or null for a fixed window alone. */
        public RulesTable table() {
            return table;
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
            return new Jurisdiction(name + " ∩ window", s, e, sundaysClosed, frenchHolidays, open, candidates, table, only);
        }

        /** The product's default: 08:00-21:00 every day. */
        public static final Jurisdiction DEFAULT = new Jurisdiction("default", LocalTime.of(8, 0), LocalTime.of(21, 0), false, false);
        /** A fixed 08:00-20:00 window (the table before the rules: US states FL, CT, MD, OK, WA). */
        public static final Jurisdiction US_STRICT_STATES = new Jurisdiction("US-FL/CT/MD/OK/WA", LocalTime.of(8, 0), LocalTime.of(20, 0), false, false);
        /** A fixed 08:00-22:00 Monday-Saturday window without French holidays (the table before the rules). */
        public static final Jurisdiction FRANCE = new Jurisdiction("FR", LocalTime.of(8, 0), LocalTime.of(22, 0), true, true);

        /** The rules for a recipient known only by country and number (the area code places a US/CA number). */
        public static Jurisdiction of(String country, String e164) {
            return of(country, e164, null);
        }

        /**
         * The rules for a recipient: its candidate jurisdictions from the contact's {@code state}
         * and {@code zip} attributes, else its number, read against the bundled rules table.
         */
        public static Jurisdiction of(String country, String e164, java.util.Map<String, ?> attributes) {
            return of(RecipientJurisdiction.candidates(country, e164, attributes), RulesTable.bundled());
        }

        /** The rules of {@code table} for these candidate jurisdictions. */
        public static Jurisdiction of(List<String> candidates, RulesTable table) {
            return new Jurisdiction(String.join("/", candidates), LocalTime.MIN, LocalTime.MAX, false, false,
                    java.util.EnumSet.allOf(DayOfWeek.class), List.copyOf(candidates), table, null);
        }

        /** The same recipient held by one rule alone. */
        Jurisdiction onlyBy(Rule rule) {
            return new Jurisdiction(rule.id(), LocalTime.MIN, LocalTime.MAX, false, false, java.util.EnumSet.allOf(DayOfWeek.class),
                    candidates, table, rule);
        }

        /** The hours rules that bind marketing to this recipient on {@code day}. */
        public List<Rule> hoursRulesOn(LocalDate day) {
            if (only != null) {
                return only.inForceOn(day) ? List.of(only) : List.of();
            }
            if (table == null) {
                return List.of();
            }
            return table.applicable(Rule.Kind.HOURS, "marketing", candidates, day);
        }

        boolean closedOn(LocalDate day) {
            return (sundaysClosed && day.getDayOfWeek() == DayOfWeek.SUNDAY) || (frenchHolidays && frenchHoliday(day))
                    || !openDays.contains(day.getDayOfWeek());
        }

        /** The local windows open on {@code day}: the fixed window intersected with every rule's. */
        List<Rule.Window> windowsOn(LocalDate day) {
            if (closedOn(day)) {
                return List.of();
            }
            List<Rule.Window> open = List.of(new Rule.Window(start, end));
            for (Rule r : hoursRulesOn(day)) {
                open = intersect(open, r.windowsOn(day));
            }
            return open;
        }

        @Override
        public String toString() {
            return "Jurisdiction[" + name + "]";
        }
    }

    private static List<Rule.Window> intersect(List<Rule.Window> a, List<Rule.Window> b) {
        List<Rule.Window> out = new java.util.ArrayList<>();
        for (Rule.Window x : a) {
            for (Rule.Window y : b) {
                LocalTime s = x.start().isAfter(y.start()) ? x.start() : y.start();
                LocalTime e = x.end().isBefore(y.end()) ? x.end() : y.end();
                if (s.isBefore(e)) {
                    out.add(new Rule.Window(s, e));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(Rule.Window::start));
        return out;
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

    /** {@code t} if a window is open then in {@code zone}, else when one next opens there. */
    private static Instant nextOpening(Instant t, ZoneId zone, Jurisdiction j) {
        ZonedDateTime local = t.atZone(zone);
        LocalDate today = local.toLocalDate();
        LocalTime time = local.toLocalTime();
        LocalDate day = today;
        for (int i = 0; i < MAX_STEPS; i++, day = day.plusDays(1)) {
            for (Rule.Window w : j.windowsOn(day)) {
                if (!day.equals(today)) {
                    // atZone moves a start inside a DST gap forward, never back.
                    return day.atTime(w.start()).atZone(zone).toInstant();
                }
                if (time.isBefore(w.end())) {
                    if (!time.isBefore(w.start())) {
                        return t;
                    }
                    Instant opening = day.atTime(w.start()).atZone(zone).toInstant();
                    return opening.isAfter(t) ? opening : t;
                }
            }
        }
        throw new IllegalStateException("no window opens within " + MAX_STEPS + " days under " + j.name());
    }

    /**
     * The answer for one marketing send at {@code at}: allowed, or the next allowed instant and
     * the rule that holds it there (the one whose own opening is latest), with every hours rule
     * applied and the table's version.
     */
    public record Decision(boolean allowed, Instant nextAllowedAt, Rule heldBy, List<Rule> applied, String rulesVersion) {
    }

    private static int specificity(String jurisdiction) {
        return jurisdiction.equals("default") ? 0 : jurisdiction.contains("-") ? 2 : 1;
    }

    /** Decides a marketing send at {@code at} to a recipient in {@code zones} under {@code j}. */
    public static Decision decide(Instant at, List<ZoneId> zones, Jurisdiction j) {
        Instant next = nextAllowed(at, zones, j);
        java.util.LinkedHashMap<String, Rule> applied = new java.util.LinkedHashMap<>();
        for (ZoneId zone : zones) {
            for (Rule r : j.hoursRulesOn(at.atZone(zone).toLocalDate())) {
                applied.putIfAbsent(r.id(), r);
            }
        }
        Rule heldBy = null;
        if (next.isAfter(at)) {
            Instant latest = at;
            // On a tie the most specific rule is named: Texas's before the TCPA's before the default.
            List<Rule> bySpecificity = new java.util.ArrayList<>(applied.values());
            bySpecificity.sort(java.util.Comparator.comparingInt((Rule r) -> specificity(r.jurisdiction())).reversed());
            for (Rule r : bySpecificity) {
                Instant alone = nextAllowed(at, zones, j.onlyBy(r));
                if (alone.isAfter(latest)) {
                    latest = alone;
                    heldBy = r;
                }
            }
        }
        String version = j.table() == null ? null : j.table().version();
        return new Decision(!next.isAfter(at), next, heldBy, List.copyOf(applied.values()), version);
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
