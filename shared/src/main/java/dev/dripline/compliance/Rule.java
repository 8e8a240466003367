package dev.dripline.compliance;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One row of the rules table: what a jurisdiction requires, since when and until when, and
 * where it is written. Built only by {@link RulesTable}, which checks every field.
 */
public record Rule(String id, String jurisdiction, Kind kind, Set<String> categories, String source, String citation,
                   LocalDate from, LocalDate until, Map<DayOfWeek, List<Window>> hours, Optional<HolidayCalendar> holidays,
                   Optional<Cap> cap, Optional<RequiredText> text, Optional<String> registry, Optional<String> revocationScope) {

    public enum Kind { HOURS, CAP, TEXT, REGISTRATION, REVOCATION }

    /** Sends allowed from {@code start} (inclusive) to {@code end} (exclusive), local time. */
    public record Window(LocalTime start, LocalTime end) {
        @Override
        public String toString() {
            return start + "-" + end;
        }
    }

    /** A Jollyday calendar (country code, optional region), e.g. {@code us}/{@code al}. */
    public record HolidayCalendar(String calendar, String region) {
    }

    /** At most {@code count} messages per {@code window}, counted per sender or overall. */
    public record Cap(int count, String window, boolean perSender) {
        /** The window as a duration: ISO-8601 {@code PT24H} or {@code P30D}. */
        public Duration duration() {
            return window.startsWith("PT") ? Duration.parse(window) : Duration.ofDays(Period.parse(window).getDays());
        }
    }

    /** Text a jurisdiction requires on the message; {@code {brand}} is the workspace's brand name. */
    public record RequiredText(String locale, String prefix, String suffix) {
    }

    /** Whether the rule is in force on {@code day} (the recipient's local date); {@code until} is exclusive. */
    public boolean inForceOn(LocalDate day) {
        return !day.isBefore(from) && (until == null || day.isBefore(until));
    }

    /** Whether it binds messages of this category ({@code marketing}, {@code transactional}). */
    public boolean binds(String category) {
        return categories.contains(category);
    }

    /** Whether the rule applies to a recipient placed in {@code candidate} (e.g. {@code US-TX}). */
    public boolean coversCandidate(String candidate) {
        return jurisdiction.equals("default") || jurisdiction.equals(candidate)
                || (!jurisdiction.contains("-") && candidate.startsWith(jurisdiction + "-"));
    }

    /** The windows on {@code day}, empty when the rule closes it (weekday or public holiday). */
    public List<Window> windowsOn(LocalDate day) {
        if (holidays.isPresent() && Holidays.isHoliday(holidays.get(), day)) {
            return List.of();
        }
        return hours.getOrDefault(day.getDayOfWeek(), List.of());
    }
}
