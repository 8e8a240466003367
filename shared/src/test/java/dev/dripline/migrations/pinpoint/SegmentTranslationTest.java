package dev.dripline.migrations.pinpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentTranslationTest {

    static SegmentTranslation translate(String fixture) throws Exception {
        Path p = PinpointImportTest.FIXTURES.resolve(fixture);
        PinpointFile f = PinpointFile.recognise(fixture, Files.readAllBytes(p));
        assertThat(f.kind()).isEqualTo(PinpointFile.Kind.SEGMENT);
        return new SegmentTranslation(f.body());
    }

    @Test
    void attributeLocationAndMetricDimensionsBecomeOneFilterAndTheSmsChannelIsANote() throws Exception {
        SegmentTranslation t = translate("segment-gold.json");
        assertThat(t.problems()).isEmpty();
        assertThat(t.notes()).singleElement().asString().contains("Channel includes SMS");
        assertThat(t.filter()).contains(Map.of("all", List.of(
                Map.of("tag", "tier:gold"),
                Map.of("attribute", "purchases", "gte", 2.0),
                Map.of("attribute", "country", "equals", "US"))));
    }

    @Test
    void whatCannotBeExpressedIsReportedAndNoFilterIsMade() throws Exception {
        SegmentTranslation t = translate("segment-unsupported.json");
        assertThat(t.filter()).isEmpty();
        assertThat(t.problems()).hasSize(5).anyMatch(p -> p.contains("Recency")).anyMatch(p -> p.contains("GPSPoint"))
                .anyMatch(p -> p.contains("Tier EXCLUSIVE")).anyMatch(p -> p.contains("Store CONTAINS"))
                .anyMatch(p -> p.contains("Platform"));
    }

    @Test
    void anImportedSegmentIsReportedNotGuessed() throws Exception {
        SegmentTranslation t = translate("segment-imported.json");
        assertThat(t.filter()).isEmpty();
        assertThat(t.problems()).singleElement().asString().contains("IMPORT");
    }

    @Test
    void groupsKeepTheirAllAndAnyAndDatesAreComparedByDay() throws Exception {
        SegmentTranslation t = translate("segment-groups.json");
        assertThat(t.problems()).isEmpty();
        assertThat(t.filter()).contains(Map.of("any", List.of(
                Map.of("all", List.of(
                        Map.of("any", List.of(Map.of("tag", "tier:gold"), Map.of("tag", "tier:platinum"))),
                        Map.of("attribute", "purchases", "gt", 5.0))),
                Map.of("any", List.of(
                        Map.of("all", List.of(Map.of("attribute", "signupDate", "after", "2025-12-31"),
                                Map.of("attribute", "signupDate", "before", "2026-02-01"))),
                        Map.of("attribute", "birthday", "equals", "2026-12-24"))))));
    }

    @Test
    void everyTranslatedFilterIsOneDriplineAccepts() throws Exception {
        for (String f : List.of("segment-gold.json", "segment-groups.json")) {
            dev.dripline.audience.SegmentFilterAccess.parse(translate(f).filter().orElseThrow());
        }
    }
}
