package dev.dripline.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.compliance.QuietHours.Jurisdiction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static Instant at(String local, ZoneId zone) {
        return LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    @Test
    void insideTheWindowTheMomentItselfIsAllowed() {
        Instant noon = at("2026-07-01T12:00", NEW_YORK);
        assertThat(QuietHours.nextAllowed(noon, List.of(NEW_YORK), Jurisdiction.DEFAULT)).isEqualTo(noon);
        assertThat(QuietHours.allows(noon, List.of(NEW_YORK), Jurisdiction.DEFAULT)).isTrue();
    }

    @Test
    void lateInTheEveningWaitsForEightTheNextMorning() {
        assertThat(QuietHours.nextAllowed(at("2026-07-01T21:00", NEW_YORK), List.of(NEW_YORK), Jurisdiction.DEFAULT))
                .isEqualTo(at("2026-07-02T08:00", NEW_YORK));
        assertThat(QuietHours.nextAllowed(at("2026-07-02T06:30", NEW_YORK), List.of(NEW_YORK), Jurisdiction.DEFAULT))
                .isEqualTo(at("2026-07-02T08:00", NEW_YORK));
    }

    @Test
    void acrossTheSpringForwardNightTheOpeningIsEightLocalTime() {
        // 2026-03-08: New York moves from UTC-5 to UTC-4 at 02:00.
        Instant evening = at("2026-03-07T22:00", NEW_YORK);
        Instant opening = QuietHours.nextAllowed(evening, List.of(NEW_YORK), Jurisdiction.DEFAULT);
        assertThat(opening).isEqualTo(Instant.parse("2026-03-08T12:00:00Z"));
    }

    @Test
    void acrossTheFallBackNightTheOpeningIsEightLocalTime() {
        // 2026-11-01: New York moves from UTC-4 to UTC-5.
        Instant opening = QuietHours.nextAllowed(at("2026-10-31T23:30", NEW_YORK), List.of(NEW_YORK), Jurisdiction.DEFAULT);
        assertThat(opening).isEqualTo(Instant.parse("2026-11-01T13:00:00Z"));
    }

    @Test
    void everyCandidateZoneMustAllowTheHour() {
        // 08:00 in New York is 05:00 in Los Angeles: wait for Los Angeles' 08:00 (11:00 in New York).
        Instant opening = QuietHours.nextAllowed(at("2026-07-01T07:00", NEW_YORK), List.of(NEW_YORK, LOS_ANGELES), Jurisdiction.DEFAULT);
        assertThat(opening).isEqualTo(at("2026-07-01T08:00", LOS_ANGELES));
        // 20:30 in Los Angeles is 23:30 in New York: closed there; next is 08:00 Los Angeles.
        assertThat(QuietHours.nextAllowed(at("2026-07-01T20:30", LOS_ANGELES), List.of(NEW_YORK, LOS_ANGELES), Jurisdiction.DEFAULT))
                .isEqualTo(at("2026-07-02T08:00", LOS_ANGELES));
    }

    @Test
    void theStricterUsStatesCloseAtEight() {
        // Issue 19: of() now places the number (area code -> state) and reads the rules table.
        assertThat(Jurisdiction.of("US", "+13055550123").candidates()).containsExactly("US-FL");
        assertThat(Jurisdiction.of("US", "+14155550123").candidates()).containsExactly("US-CA");
        assertThat(QuietHours.nextAllowed(at("2026-07-01T20:30", NEW_YORK), List.of(NEW_YORK), Jurisdiction.of("US", "+13055550123")))
                .isEqualTo(at("2026-07-02T08:00", NEW_YORK));
        Instant halfPastEight = at("2026-07-01T20:30", NEW_YORK);
        assertThat(QuietHours.allows(halfPastEight, List.of(NEW_YORK), Jurisdiction.DEFAULT)).isTrue();
        assertThat(QuietHours.nextAllowed(halfPastEight, List.of(NEW_YORK), Jurisdiction.US_STRICT_STATES))
                .isEqualTo(at("2026-07-02T08:00", NEW_YORK));
    }

    @Test
    void franceAllowsUntilTenButNeverOnSundays() {
        // Issue 19: of() reads the rules table (D. 223-9: weekdays 10-13, 14-20); FRANCE is the fixed window of before.
        assertThat(Jurisdiction.of("FR", "+33612345678").candidates()).containsExactly("FR");
        // Wednesday 2026-07-01, 21:30: allowed in France.
        Instant wednesday = at("2026-07-01T21:30", PARIS);
        assertThat(QuietHours.allows(wednesday, List.of(PARIS), Jurisdiction.FRANCE)).isTrue();
        // Saturday 2026-07-04 at 22:00 waits for Monday 08:00.
        assertThat(QuietHours.nextAllowed(at("2026-07-04T22:00", PARIS), List.of(PARIS), Jurisdiction.FRANCE))
                .isEqualTo(at("2026-07-06T08:00", PARIS));
    }

    @Test
    void inFranceAPublicHolidayIsSkippedAcrossTheDstChange() {
        // Easter 2026 is 5 April; Easter Monday 6 April is a holiday. Paris moved to UTC+2 on 29 March.
        assertThat(QuietHours.easter(2026)).isEqualTo(LocalDate.of(2026, 4, 5));
        Instant saturdayNight = at("2026-04-04T23:00", PARIS);
        assertThat(QuietHours.nextAllowed(saturdayNight, List.of(PARIS), Jurisdiction.FRANCE))
                .isEqualTo(Instant.parse("2026-04-07T06:00:00Z"));
        // The night the clocks go forward (Sunday 29 March): Monday 08:00 is 06:00 UTC.
        assertThat(QuietHours.nextAllowed(at("2026-03-28T22:30", PARIS), List.of(PARIS), Jurisdiction.FRANCE))
                .isEqualTo(Instant.parse("2026-03-30T06:00:00Z"));
        // 14 July and 25 December are holidays too.
        assertThat(QuietHours.frenchHoliday(LocalDate.of(2026, 7, 14))).isTrue();
        assertThat(QuietHours.frenchHoliday(LocalDate.of(2026, 7, 15))).isFalse();
    }

    @Test
    void noZoneIsAnError() {
        assertThatThrownBy(() -> QuietHours.nextAllowed(Instant.now(), List.of(), Jurisdiction.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
