package dev.dripline.compliance;

import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Public holidays from Jollyday's maintained calendars, one manager per country (cached). */
final class Holidays {

    private static final Map<String, HolidayManager> MANAGERS = new ConcurrentHashMap<>();

    private Holidays() {
    }

    static boolean isHoliday(Rule.HolidayCalendar c, LocalDate day) {
        HolidayManager m = manager(c.calendar());
        return c.region() == null ? m.isHoliday(day) : m.isHoliday(day, c.region());
    }

    /** @throws IllegalArgumentException when Jollyday has no such calendar */
    static HolidayManager manager(String calendar) {
        return MANAGERS.computeIfAbsent(calendar, code -> {
            try {
                return HolidayManager.getInstance(ManagerParameters.create(code));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("no holiday calendar '" + code + "' in Jollyday", e);
            }
        });
    }
}
