package dev.dripline.compliance;

import dev.dripline.compliance.QuietHours.Decision;
import dev.dripline.compliance.QuietHours.Jurisdiction;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each hours rule of the bundled table at its boundaries, across DST changes, and on its effective date. */
class RulesByJurisdictionTest {

    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static Instant at(String local, ZoneId zone) {
        return LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    static Decision decide(List<String> candidates, String local, ZoneId zone) {
        return QuietHours.decide(at(local, zone), List.of(zone), Jurisdiction.of(candidates, RulesTable.bundled()));
    }

    static void allowed(String candidate, String local, ZoneId zone) {
        Decision d = decide(List.of(candidate), local, zone);
        assertThat(d.allowed()).as("%s at %s local", candidate, local).isTrue();
        assertThat(d.heldBy()).isNull();
    }

    static Decision held(String candidate, String local, ZoneId zone, String untilLocal, String ruleId) {
        Decision d = decide(List.of(candidate), local, zone);
        assertThat(d.allowed()).as("%s at %s local", candidate, local).isFalse();
        assertThat(d.nextAllowedAt()).as("%s at %s local", candidate, local).isEqualTo(at(untilLocal, zone));
        assertThat(d.heldBy().id()).isEqualTo(ruleId);
        assertThat(d.rulesVersion()).isEqualTo(RulesTable.bundled().version());
        return d;
    }

    @Test
    void texasOnASundayWaitsForNoonAndOnOtherDaysForNine() {
        // 2026-03-08 is a Sunday and the day DST starts in Chicago.
        Decision d = held("US-TX", "2026-03-08T10:00", CHICAGO, "2026-03-08T12:00", "us-tx-hours");
        assertThat(d.nextAllowedAt()).hasToString("2026-03-08T17:00:00Z");
        assertThat(d.applied()).extracting(Rule::id).containsExactlyInAnyOrder("default-hours", "us-tcpa-hours", "us-tx-hours");
        allowed("US-TX", "2026-03-08T12:00", CHICAGO);
        allowed("US-TX", "2026-03-08T20:59", CHICAGO);
        held("US-TX", "2026-03-08T21:00", CHICAGO, "2026-03-09T09:00", "us-tx-hours");
        held("US-TX", "2026-10-31T08:59", CHICAGO, "2026-10-31T09:00", "us-tx-hours");
        // 2026-11-01: Sunday, DST ends; noon CST is 18:00 UTC.
        assertThat(held("US-TX", "2026-11-01T11:59", CHICAGO, "2026-11-01T12:00", "us-tx-hours").nextAllowedAt())
                .hasToString("2026-11-01T18:00:00Z");
    }

    @Test
    void texasSundayRuleStartsOnSeptemberFirst2025() {
        // Sunday 2025-08-31: only the TCPA's 08:00-21:00. Sunday 2025-09-07: SB 140's noon.
        allowed("US-TX", "2025-08-31T10:00", CHICAGO);
        held("US-TX", "2025-09-07T10:00", CHICAGO, "2025-09-07T12:00", "us-tx-hours");
    }

    @Test
    void connecticutIsNineToEightSinceOctober2023() {
        allowed("US-CT", "2023-09-30T08:30", NEW_YORK);
        held("US-CT", "2023-10-02T08:30", NEW_YORK, "2023-10-02T09:00", "us-ct-hours");
        allowed("US-CT", "2023-10-02T19:59", NEW_YORK);
        held("US-CT", "2023-10-02T20:00", NEW_YORK, "2023-10-03T09:00", "us-ct-hours");
        // DST ends 2026-11-01: 09:00 EST is 14:00 UTC.
        assertThat(held("US-CT", "2026-11-01T08:30", NEW_YORK, "2026-11-01T09:00", "us-ct-hours").nextAllowedAt())
                .hasToString("2026-11-01T14:00:00Z");
    }

    @Test
    void theTcpaHoldsEveryUsStateToEightToNine() {
        Decision d = held("US-NY", "2026-03-08T07:30", NEW_YORK, "2026-03-08T08:00", "us-tcpa-hours");
        assertThat(d.nextAllowedAt()).hasToString("2026-03-08T12:00:00Z");
        assertThat(d.heldBy().source()).contains("64.1200");
        allowed("US-NY", "2026-03-08T20:59", NEW_YORK);
        held("US-NY", "2026-03-08T21:00", NEW_YORK, "2026-03-09T08:00", "us-tcpa-hours");
    }

    @Test
    void floridaOklahomaMarylandAndWashingtonCloseAtEight() {
        held("US-FL", "2026-03-08T07:30", NEW_YORK, "2026-03-08T08:00", "us-fl-hours");
        allowed("US-FL", "2026-03-08T19:59", NEW_YORK);
        held("US-FL", "2026-03-08T20:00", NEW_YORK, "2026-03-09T08:00", "us-fl-hours");
        held("US-WA", "2026-11-01T20:00", LOS_ANGELES, "2026-11-02T08:00", "us-wa-hours");
        // Oklahoma from 2022-11-01, Maryland from 2024-01-01.
        allowed("US-OK", "2022-10-31T20:30", CHICAGO);
        held("US-OK", "2022-11-01T20:30", CHICAGO, "2022-11-02T08:00", "us-ok-hours");
        allowed("US-MD", "2023-12-31T20:30", NEW_YORK);
        held("US-MD", "2024-01-01T20:30", NEW_YORK, "2024-01-02T08:00", "us-md-hours");
    }

    @Test
    void rhodeIslandHasShortSaturdaysAndNoSundaysOrStateHolidays() {
        allowed("US-RI", "2026-03-06T17:59", NEW_YORK);
        held("US-RI", "2026-03-06T18:00", NEW_YORK, "2026-03-07T10:00", "us-ri-hours");
        // Saturday 17:00, Sunday (DST starts) closed: Monday 09:00 EDT.
        held("US-RI", "2026-03-07T17:00", NEW_YORK, "2026-03-09T09:00", "us-ri-hours");
        // Christmas Day 2026 is a Friday: Saturday 10:00.
        held("US-RI", "2026-12-25T11:00", NEW_YORK, "2026-12-26T10:00", "us-ri-hours");
    }

    @Test
    void alabamaLouisianaAndMississippiNeverOnSundays() {
        held("US-AL", "2026-03-07T20:00", CHICAGO, "2026-03-09T08:00", "us-al-hours");
        // A state holiday (Christmas, Friday 2026-12-25) is closed in Alabama.
        held("US-AL", "2026-12-25T10:00", CHICAGO, "2026-12-26T08:00", "us-al-hours");
        held("US-LA", "2026-03-08T10:00", CHICAGO, "2026-03-09T08:00", "us-la-hours");
        held("US-MS", "2026-11-01T12:00", CHICAGO, "2026-11-02T08:00", "us-ms-hours");
        allowed("US-MS", "2026-10-31T20:59", CHICAGO);
        held("US-MS", "2026-10-31T21:00", CHICAGO, "2026-11-02T08:00", "us-ms-hours");
    }

    @Test
    void franceOnlyOnWorkingWeekdaysWithALunchBreak() {
        allowed("FR", "2026-03-27T12:59", PARIS);
        held("FR", "2026-03-27T13:00", PARIS, "2026-03-27T14:00", "fr-demarchage-hours");
        held("FR", "2026-03-27T09:59", PARIS, "2026-03-27T10:00", "fr-demarchage-hours");
        // Friday 20:00 across the spring-forward Sunday: Monday 10:00 CEST is 08:00 UTC.
        assertThat(held("FR", "2026-03-27T20:00", PARIS, "2026-03-30T10:00", "fr-demarchage-hours").nextAllowedAt())
                .hasToString("2026-03-30T08:00:00Z");
        // ... and across the fall-back Sunday: Monday 10:00 CET is 09:00 UTC.
        assertThat(held("FR", "2026-10-23T20:00", PARIS, "2026-10-26T10:00", "fr-demarchage-hours").nextAllowedAt())
                .hasToString("2026-10-26T09:00:00Z");
        // Bastille Day (Tuesday 2026-07-14) is a public holiday (Jollyday).
        held("FR", "2026-07-14T11:00", PARIS, "2026-07-15T10:00", "fr-demarchage-hours");
    }

    @Test
    void franceSDecreeAppliesFromMarchFirst2023() {
        allowed("FR", "2023-02-25T10:00", PARIS);
        held("FR", "2023-03-04T10:00", PARIS, "2023-03-06T10:00", "fr-demarchage-hours");
    }

    @Test
    void chinaIsEightToNine() {
        held("CN", "2026-07-01T21:00", SHANGHAI, "2026-07-02T08:00", "cn-hours");
        held("CN", "2026-07-01T07:59", SHANGHAI, "2026-07-01T08:00", "cn-hours");
        allowed("CN", "2026-07-01T20:59", SHANGHAI);
    }

    @Test
    void elsewhereTheDefaultAppliesAcrossDst() {
        // Berlin, 2026-03-29 (spring forward): 08:00 CEST is 06:00 UTC.
        assertThat(held("DE", "2026-03-29T07:30", BERLIN, "2026-03-29T08:00", "default-hours").nextAllowedAt())
                .hasToString("2026-03-29T06:00:00Z");
        held("DE", "2026-03-29T21:00", BERLIN, "2026-03-30T08:00", "default-hours");
    }

    @Test
    void severalCandidatesTakeTheStrictest() {
        // Listed in New York, ZIP in Texas: Sunday 10:00 waits for Texas's noon.
        Decision d = decide(List.of("US-NY", "US-TX"), "2026-03-08T10:00", CHICAGO);
        assertThat(d.nextAllowedAt()).isEqualTo(at("2026-03-08T12:00", CHICAGO));
        assertThat(d.heldBy().id()).isEqualTo("us-tx-hours");
    }

    @Test
    void aCampaignWindowStillNarrowsTheRules() {
        Jurisdiction texasNineToFive = Jurisdiction.of(List.of("US-TX"), RulesTable.bundled())
                .narrowedTo(java.time.LocalTime.of(13, 0), java.time.LocalTime.of(17, 0), java.util.EnumSet.allOf(java.time.DayOfWeek.class));
        assertThat(QuietHours.nextAllowed(at("2026-03-08T10:00", CHICAGO), List.of(CHICAGO), texasNineToFive))
                .isEqualTo(at("2026-03-08T13:00", CHICAGO));
    }
}
