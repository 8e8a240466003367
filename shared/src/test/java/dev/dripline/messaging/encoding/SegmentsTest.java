package dev.dripline.messaging.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentsTest {

    private static final String EMOJI = "\uD83D\uDE00"; // 😀, one surrogate pair
    private static final String THUMBS_UP_MEDIUM = "\uD83D\uDC4D\uD83C\uDFFD"; // 👍🏽
    private static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // 👨‍👩‍👧
    private static final String FRANCE = "\uD83C\uDDEB\uD83C\uDDF7"; // 🇫🇷

    @Nested
    class Gsm7 {

        @ParameterizedTest(name = "{0} chars -> {1} segment(s) of {2}")
        @CsvSource({
            "1, 1, 160", "159, 1, 160", "160, 1, 160", "161, 2, 153",
            "305, 2, 153", "306, 2, 153", "307, 3, 153", "459, 3, 153", "460, 4, 153",
        })
        void plainTextFills160AloneAnd153PerPart(int length, int segments, int perSegment) {
            SegmentCount count = Segments.count("a".repeat(length));

            assertThat(count).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, segments, length, perSegment));
            assertThat(Segments.split("a".repeat(length))).hasSize(segments);
        }

        @Test
        void extensionCharacterCostsTwoSeptets() {
            assertThat(Segments.count("€10 [x]")).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 1, 10, 160));
        }

        @Test
        void extensionCharacterAfter159SeptetsOverflowsTheSingleMessage() {
            String text = "a".repeat(159) + "€";

            assertThat(Segments.count(text)).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 2, 161, 153));
        }

        @Test
        void extensionCharacterAfter158SeptetsStillFitsOneMessage() {
            assertThat(Segments.count("a".repeat(158) + "€").segments()).isEqualTo(1);
        }

        @Test
        void extensionCharacterAtThe153BoundaryMovesWholeToTheNextPart() {
            String text = "a".repeat(152) + "€" + "b".repeat(20);

            List<String> parts = Segments.split(text);

            assertThat(parts).containsExactly("a".repeat(152), "€" + "b".repeat(20));
            assertThat(Segments.count(text).segments()).isEqualTo(2);
        }

        @Test
        void escapePairsThatCannotSplitCanNeedMorePartsThanTheNaiveCount() {
            // 306 septets would be ceil(306/153) = 2 parts, but '{' cannot straddle parts one and two.
            String text = "a".repeat(152) + "{" + "a".repeat(152);

            assertThat(Segments.count(text)).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 3, 306, 153));
            assertThat(Segments.split(text)).containsExactly("a".repeat(152), "{" + "a".repeat(151), "a");
        }

        @Test
        void carriageReturnAndLineFeedAreOneSeptetEach() {
            assertThat(Segments.count("Hi\r\nthere\n")).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 1, 10, 160));
        }

        @Test
        void crLfIsNotSplitAcrossParts() {
            String text = "a".repeat(152) + "\r\n" + "b".repeat(10);

            assertThat(Segments.split(text)).containsExactly("a".repeat(152), "\r\n" + "b".repeat(10));
        }

        @Test
        void spanishFrenchGermanAndNordicLettersOfTheTableStayGsm() {
            String text = "¡Olé! ¿Qué? Ñoño, très, Ça, à 5€, Müller Straße, Ørsted, Åse, Ægir, Ξ Σ Ω";

            assertThat(Segments.count(text).encoding()).isEqualTo(SmsEncoding.GSM_7);
        }
    }

    @Nested
    class Ucs2 {

        @ParameterizedTest(name = "{0} chars -> {1} segment(s) of {2}")
        @CsvSource({
            "1, 1, 70", "69, 1, 70", "70, 1, 70", "71, 2, 67",
            "133, 2, 67", "134, 2, 67", "135, 3, 67",
        })
        void chineseFills70AloneAnd67PerPart(int length, int segments, int perSegment) {
            String text = "退".repeat(length);

            assertThat(Segments.count(text)).isEqualTo(new SegmentCount(SmsEncoding.UCS_2, segments, length, perSegment));
            assertThat(Segments.split(text)).hasSize(segments);
        }

        @Test
        void oneCharacterOutsideGsmMakesTheWholeBodyUcs2() {
            String text = "a".repeat(100) + "ç";

            assertThat(Segments.count(text)).isEqualTo(new SegmentCount(SmsEncoding.UCS_2, 2, 101, 67));
        }

        @Test
        void turkishAndPortugueseAccentsForceUcs2() {
            for (String word : List.of("şişe", "dağ", "ılık", "ação", "pão", "você", "avó", "água", "çok", "Dónde", "está")) {
                assertThat(Segments.count(word).encoding()).as(word).isEqualTo(SmsEncoding.UCS_2);
            }
        }

        @Test
        void emojiCountsTwoCodeUnits() {
            assertThat(Segments.count("a".repeat(68) + EMOJI)).isEqualTo(new SegmentCount(SmsEncoding.UCS_2, 1, 70, 70));
            assertThat(Segments.count("a".repeat(69) + EMOJI)).isEqualTo(new SegmentCount(SmsEncoding.UCS_2, 2, 71, 67));
        }

        @Test
        void surrogatePairAtIndex66MovesWholeToTheNextPart() {
            String text = "a".repeat(66) + EMOJI + "b".repeat(10);

            List<String> parts = Segments.split(text);

            assertThat(parts).containsExactly("a".repeat(66), EMOJI + "b".repeat(10));
        }

        @Test
        void emojiWithSkinToneStaysInOnePart() {
            String text = "a".repeat(65) + THUMBS_UP_MEDIUM + "b".repeat(10);

            assertThat(Segments.split(text)).containsExactly("a".repeat(65), THUMBS_UP_MEDIUM + "b".repeat(10));
        }

        @Test
        void zwjFamilyStaysInOnePart() {
            String text = "a".repeat(60) + FAMILY + "b".repeat(10);

            assertThat(Segments.split(text)).containsExactly("a".repeat(60), FAMILY + "b".repeat(10));
        }

        @Test
        void flagPairsStayTogether() {
            String text = "a".repeat(65) + FRANCE + FRANCE;

            assertThat(Segments.split(text)).containsExactly("a".repeat(65), FRANCE + FRANCE);
        }

        @Test
        void combiningMarkStaysWithItsLetter() {
            String text = "a".repeat(66) + "e\u0301" + "b".repeat(10);

            assertThat(Segments.split(text)).containsExactly("a".repeat(66), "e\u0301" + "b".repeat(10));
        }

        @Test
        void keepingClustersWholeCanNeedMorePartsThanTheNaiveCountAndTheCountSaysSo() {
            // 134 code units = 2 parts naively; the family emoji at 62..69 does not fit part one,
            // so part two starts at 62 and needs 72 units: a third part.
            String text = "a".repeat(62) + FAMILY + "b".repeat(64);

            List<String> parts = Segments.split(text);

            assertThat(text).hasSize(134);
            assertThat(parts).containsExactly("a".repeat(62), FAMILY + "b".repeat(59), "b".repeat(5));
            assertThat(Segments.count(text)).isEqualTo(new SegmentCount(SmsEncoding.UCS_2, 3, 134, 67));
        }

        @Test
        void clusterLongerThanAPartIsCutBetweenCodePointsNeverInsideASurrogatePair() {
            String longCluster = "a" + "\u0301".repeat(100);      // one letter with 100 marks
            List<String> parts = Segments.split("x".repeat(10) + longCluster);

            assertThat(parts).containsExactly("x".repeat(10), "a" + "\u0301".repeat(66), "\u0301".repeat(34));
        }

        @Test
        void singlePartMessageIsNotSplitEvenWhereClustersWouldNotMatter() {
            String text = "a".repeat(68) + EMOJI;

            assertThat(Segments.split(text)).containsExactly(text);
        }
    }

    @Test
    void emptyBodyIsZeroSegmentsOfZeroUnits() {
        assertThat(Segments.count("")).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 0, 0, 160));
        assertThat(Segments.split("")).isEmpty();
    }

    @Test
    void countWorksOnAnyCharSequence() {
        assertThat(Segments.count(new StringBuilder("a".repeat(161)))).isEqualTo(Segments.count("a".repeat(161)));
    }

    @Test
    void segmentCountRejectsAPerSegmentLimitThatDoesNotMatchItsShape() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new SegmentCount(SmsEncoding.GSM_7, 2, 200, 160));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new SegmentCount(SmsEncoding.UCS_2, 1, 10, 67));
    }

    @Test
    void labelsAreTheWireNames() {
        assertThat(SmsEncoding.GSM_7.label()).isEqualTo("GSM-7");
        assertThat(SmsEncoding.UCS_2.label()).isEqualTo("UCS-2");
    }
}
