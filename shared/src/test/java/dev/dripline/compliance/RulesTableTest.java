package dev.dripline.compliance;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesTableTest {

    private static final String OK_ROW = """
              - id: default-hours
                jurisdiction: default
                kind: hours
                hours: {default: ["08:00-21:00"]}
                source: https://www.ecfr.gov/x
                citation: "47 CFR 64.1200(c)(1)"
                effective: {from: 1992-12-20}
            """;

    private static RulesTable table(String extraRow) {
        return RulesTable.parse("version: \"t1\"\nrules:\n" + OK_ROW + extraRow);
    }

    @Test
    void theBundledTableLoadsWithAVersionAndEveryRowCited() {
        RulesTable t = RulesTable.bundled();
        assertThat(t.version()).isNotBlank();
        assertThat(t.rules()).extracting(Rule::id).contains("default-hours", "us-tcpa-hours", "us-ct-hours", "us-tx-hours",
                "us-tx-registration", "us-fl-hours", "us-fl-cap", "us-ok-cap", "us-md-cap", "us-wa-hours", "us-ri-hours", "us-al-hours",
                "us-la-hours", "us-ms-hours", "fr-demarchage-hours", "cn-hours", "cn-signature", "cn-optout-line",
                "us-fcc-revocation-topic", "us-fcc-revocation-all");
        assertThat(t.rules()).allSatisfy(r -> {
            assertThat(r.source()).startsWith("http");
            assertThat(r.citation()).isNotBlank();
            assertThat(r.from()).isNotNull();
        });
    }

    @Test
    void theCorrectedCitationsOfRelease2Hold() {
        RulesTable t = RulesTable.bundled();
        assertThat(t.version()).isEqualTo("2026-12-03.2");
        // No New Jersey statute caps marketing texts: the cap row is gone, New Jersey keeps its hours.
        assertThat(t.rules()).extracting(Rule::id).doesNotContain("us-nj-cap").contains("us-nj-hours");
        assertThat(t.caps(java.util.List.of("US-NJ"), java.time.LocalDate.parse("2026-12-03"))).isEmpty();
        assertThat(rule(t, "us-al-hours").citation()).contains("770-X-5-.17");
        assertThat(rule(t, "cn-hours").citation()).startsWith("Carrier practice");
        assertThat(rule(t, "us-fcc-revocation-topic").source()).isEqualTo("https://docs.fcc.gov/public/attachments/FCC-24-24A1.pdf");
        assertThat(rule(t, "us-fcc-revocation-topic").until()).isEqualTo(java.time.LocalDate.parse("2027-01-31"));
        assertThat(rule(t, "us-fcc-revocation-all").from()).isEqualTo(java.time.LocalDate.parse("2027-01-31"));
    }

    private static Rule rule(RulesTable t, String id) {
        return t.rules().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aRowWithoutItsSourceIsRefusedByName() {
        assertThatThrownBy(() -> table("""
                  - id: us-xx-hours
                    jurisdiction: US-XX
                    kind: hours
                    hours: {default: ["09:00-20:00"]}
                    citation: "x"
                    effective: {from: 2024-01-01}
                """)).isInstanceOf(IllegalArgumentException.class).hasMessage("rule 'us-xx-hours': `source` is missing or empty");
    }

    @Test
    void aWindowThatEndsBeforeItStartsIsRefusedNamingTheDay() {
        assertThatThrownBy(() -> table("""
                  - id: bad
                    jurisdiction: US-TX
                    kind: hours
                    hours: {SUNDAY: ["21:00-12:00"]}
                    source: https://example.org/law
                    citation: "x"
                    effective: {from: 2024-01-01}
                """)).hasMessage("rule 'bad': hours.SUNDAY: '21:00-12:00' ends before it starts");
    }

    @Test
    void overlappingWindowsAndUnknownWeekdaysAreRefused() {
        assertThatThrownBy(() -> table("""
                  - id: bad
                    jurisdiction: FR
                    kind: hours
                    hours: {default: ["10:00-14:00", "13:00-20:00"]}
                    source: https://example.org/law
                    citation: "x"
                    effective: {from: 2024-01-01}
                """)).hasMessageContaining("rule 'bad': hours.default: '13:00-20:00' overlaps");
        assertThatThrownBy(() -> table("""
                  - id: bad
                    jurisdiction: FR
                    kind: hours
                    hours: {Sonntag: []}
                    source: https://example.org/law
                    citation: "x"
                    effective: {from: 2024-01-01}
                """)).hasMessageContaining("hours key 'Sonntag' is not a weekday");
    }

    @Test
    void effectiveDatesMustRunForwardAndIdsMustBeUnique() {
        assertThatThrownBy(() -> table("""
                  - id: bad
                    jurisdiction: US-CT
                    kind: hours
                    hours: {default: ["09:00-20:00"]}
                    source: https://example.org/law
                    citation: "x"
                    effective: {from: 2024-01-01, until: 2023-01-01}
                """)).hasMessage("rule 'bad': effective.until 2023-01-01 is not after effective.from 2024-01-01");
        assertThatThrownBy(() -> table(OK_ROW)).hasMessage("rule 'default-hours': the id is used twice");
    }

    @Test
    void holidayCalendarsAndRegionsMustExistInJollyday() {
        assertThatThrownBy(() -> table("""
                  - id: bad
                    jurisdiction: US-AL
                    kind: hours
                    hours: {default: ["08:00-20:00"]}
                    holidays: {calendar: us, region: zz}
                    source: https://example.org/law
                    citation: "x"
                    effective: {from: 2024-01-01}
                """)).hasMessageContaining("rule 'bad': holidays: Jollyday's 'us' calendar has no region 'zz'");
    }

    @Test
    void capsTextsAndKindsAreChecked() {
        assertThatThrownBy(() -> table("""
                  - id: bad-cap
                    jurisdiction: US-FL
                    kind: cap
                    cap: {count: 3, window: 24 hours, per: sender}
                    source: https://example.org/law
                    citation: "x"
                    effective: {from: 2024-01-01}
                """)).hasMessageContaining("rule 'bad-cap': cap.window '24 hours' is not a positive ISO-8601 duration");
        assertThatThrownBy(() -> table("""
                  - id: bad-kind
                    jurisdiction: US-FL
                    kind: curfew
                    source: https://example.org/law
                    citation: "x"
                    effective: {from: 2024-01-01}
                """)).hasMessageContaining("rule 'bad-kind': kind 'curfew' is not one of");
        assertThatThrownBy(() -> table("""
                  - id: bad-text
                    jurisdiction: CN
                    kind: text
                    text: {locale: zh-CN}
                    source: https://example.org/law
                    citation: "x"
                    effective: {from: 2024-01-01}
                """)).hasMessage("rule 'bad-text': text needs a prefix or a suffix");
    }

    @Test
    void aTableWithoutAnOpenEndedDefaultIsRefused() {
        assertThatThrownBy(() -> RulesTable.parse("version: \"t\"\nrules:\n" + OK_ROW.replace("jurisdiction: default", "jurisdiction: US")))
                .hasMessageContaining("open-ended `hours` rule for jurisdiction `default`");
        assertThatThrownBy(() -> RulesTable.parse("rules: []")).hasMessageContaining("`version` is missing");
    }

    @Test
    void theFccRevokeAllSwitchesOnItsDate() {
        RulesTable t = RulesTable.bundled();
        assertThat(t.revocationScope(List.of("US-TX"), LocalDate.of(2027, 1, 30))).isEqualTo("topic");
        assertThat(t.revocationScope(List.of("US-TX"), LocalDate.of(2027, 1, 31))).isEqualTo("all");
        assertThat(t.revocationScope(List.of("FR"), LocalDate.of(2026, 6, 1))).isEqualTo("all");
    }

    @Test
    void capsBindFloridaOklahomaAndMarylandFromTheirDates() {
        RulesTable t = RulesTable.bundled();
        assertThat(t.caps(List.of("US-FL"), LocalDate.of(2026, 6, 1))).extracting(Rule::id).containsExactly("us-fl-cap");
        assertThat(t.caps(List.of("US-FL"), LocalDate.of(2026, 6, 1)).get(0).cap().orElseThrow().duration()).hasHours(24);
        assertThat(t.caps(List.of("US-MD"), LocalDate.of(2023, 12, 31))).isEmpty();
        assertThat(t.caps(List.of("US-MD"), LocalDate.of(2024, 1, 1))).extracting(Rule::id).containsExactly("us-md-cap");
        assertThat(t.caps(List.of("US-OK"), LocalDate.of(2022, 10, 31))).isEmpty();
        assertThat(t.caps(List.of("US-OK"), LocalDate.of(2022, 11, 1))).hasSize(1);
        assertThat(t.caps(List.of("US-NY"), LocalDate.of(2026, 6, 1))).isEmpty();
    }

    @Test
    void texasRequiresARegistrationFromSeptember2025() {
        RulesTable t = RulesTable.bundled();
        assertThat(t.applicable(Rule.Kind.REGISTRATION, "marketing", List.of("US-TX"), LocalDate.of(2025, 8, 31))).isEmpty();
        assertThat(t.applicable(Rule.Kind.REGISTRATION, "marketing", List.of("US-TX"), LocalDate.of(2025, 9, 1)))
                .extracting(Rule::id).containsExactly("us-tx-registration");
    }
}
