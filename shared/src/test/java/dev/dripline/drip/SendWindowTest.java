package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.compliance.QuietHours;
import dev.dripline.compliance.QuietHours.Jurisdiction;
import java.time.DayOfWeek;
import java.util.EnumSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The campaign window narrows the quiet hours, in the contact's zone(s), across DST changes. */
class SendWindowTest {

    static final ZoneId NY = ZoneId.of("America/New_York");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final ZoneId LA = ZoneId.of("America/Los_Angeles");

    static Instant at(String local, ZoneId zone) {
        return LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    static final Jurisdiction NINE_TO_EIGHT = Jurisdiction.DEFAULT.narrowedTo(LocalTime.of(9, 0), LocalTime.of(20, 0),
            EnumSet.allOf(DayOfWeek.class));

    @Test
    void theWindowNarrowsTheQuietHoursButNeverWidensThem() {
        Jurisdiction wide = Jurisdiction.DEFAULT.narrowedTo(LocalTime.of(6, 0), LocalTime.of(23, 0), EnumSet.allOf(DayOfWeek.class));
        assertThat(wide.start()).isEqualTo(LocalTime.of(8, 0));
        assertThat(wide.end()).isEqualTo(LocalTime.of(21, 0));
        assertThat(NINE_TO_EIGHT.start()).isEqualTo(LocalTime.of(9, 0));
        assertThat(NINE_TO_EIGHT.end()).isEqualTo(LocalTime.of(20, 0));
        assertThatThrownBy(() -> Jurisdiction.DEFAULT.narrowedTo(LocalTime.of(22, 0), LocalTime.of(23, 0), EnumSet.allOf(DayOfWeek.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not overlap");
    }

    @Test
    void acrossTheSpringForwardInNewYork() {
        // 2026-03-08: clocks go from 02:00 to 03:00. 20:30 on the 7th waits for 09:00 local on the 8th (EDT).
        Instant next = QuietHours.nextAllowed(at("2026-03-07T20:30", NY), List.of(NY), NINE_TO_EIGHT);
        assertThat(next).isEqualTo(at("2026-03-08T09:00", NY));
        assertThat(next.toString()).isEqualTo("2026-03-08T13:00:00Z");
    }

    @Test
    void acrossTheFallBackInNewYork() {
        // 2026-11-01: clocks go from 02:00 back to 01:00; 09:00 EST is 14:00 UTC.
        assertThat(QuietHours.nextAllowed(at("2026-10-31T21:00", NY), List.of(NY), NINE_TO_EIGHT).toString())
                .isEqualTo("2026-11-01T14:00:00Z");
    }

    @Test
    void acrossTheDstChangesInParisWithSundaysClosed() {
        Jurisdiction france = Jurisdiction.FRANCE.narrowedTo(LocalTime.of(9, 0), LocalTime.of(20, 0), EnumSet.allOf(DayOfWeek.class));
        // Saturday 2026-03-28 21:00: Sunday the 29th (DST starts) is closed; Monday 09:00 CEST = 07:00 UTC.
        assertThat(QuietHours.nextAllowed(at("2026-03-28T21:00", PARIS), List.of(PARIS), france).toString())
                .isEqualTo("2026-03-30T07:00:00Z");
        // Saturday 2026-10-24 20:30: Sunday the 25th (DST ends) closed; Monday 09:00 CET = 08:00 UTC.
        assertThat(QuietHours.nextAllowed(at("2026-10-24T20:30", PARIS), List.of(PARIS), france).toString())
                .isEqualTo("2026-10-26T08:00:00Z");
    }

    @Test
    void aNumberWithSeveralZonesWaitsUntilTheWindowIsOpenInAll() {
        // 09:30 in New York is 06:30 in Los Angeles: wait for 09:00 in LA, which is 12:00 in NY (inside NY's window).
        Instant next = QuietHours.nextAllowed(at("2026-11-23T09:30", NY), List.of(NY, LA), NINE_TO_EIGHT);
        assertThat(next).isEqualTo(at("2026-11-23T09:00", LA));
    }

    @Test
    void windowDaysKeepTheirWeekdaysInTheContactsZone() {
        Jurisdiction weekdays = Jurisdiction.DEFAULT.narrowedTo(LocalTime.of(9, 0), LocalTime.of(17, 0),
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        // Friday 2026-11-27 18:00 in New York: next Monday 09:00.
        assertThat(QuietHours.nextAllowed(at("2026-11-27T18:00", NY), List.of(NY), weekdays)).isEqualTo(at("2026-11-30T09:00", NY));
    }
}
