package dev.dripline.messaging.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SmartEncodingTest {

    // 100 chars with curly quotes: 2 UCS-2 segments as written, 1 GSM-7 segment rewritten.
    private static final String CURLY = "“Your order’s ready” " + "x".repeat(79);

    @Test
    void curlyQuotesAreRewrittenWhenThatMakesTheBodyGsmAndSavesASegment() {
        BodyAnalysis analysis = Segments.analyze(CURLY, true);

        assertThat(analysis.count()).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 1, 100, 160));
        assertThat(analysis.smartEncodedText()).contains("\"Your order's ready\" " + "x".repeat(79));
        assertThat(analysis.replacements()).containsExactly(
                new Replacement(0, "“", "U+201C", "\""),
                new Replacement(11, "’", "U+2019", "'"),
                new Replacement(19, "”", "U+201D", "\""));
    }

    @Test
    void aTabBecomesASpaceSoAOneSegmentGsmMessageIsNotSentAsThreeUcs2Ones() {
        // 150 characters: one GSM-7 segment; with the TAB as written, UCS-2 at 67 a segment: three.
        String text = "Order\tshipped: " + "x".repeat(135);
        assertThat(Segments.count(text)).isEqualTo(new SegmentCount(SmsEncoding.UCS_2, 3, 150, 67));

        BodyAnalysis analysis = Segments.analyze(text, true);
        assertThat(analysis.count()).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 1, 150, 160));
        assertThat(analysis.smartEncodedText()).contains("Order shipped: " + "x".repeat(135));
        assertThat(analysis.replacements()).containsExactly(new Replacement(5, "\t", "U+0009", " "));
    }

    @Test
    void withSmartEncodingOffTheBodyIsCountedAsWritten() {
        BodyAnalysis analysis = Segments.analyze(CURLY, false);

        assertThat(analysis.count()).isEqualTo(new SegmentCount(SmsEncoding.UCS_2, 2, 100, 67));
        assertThat(analysis.smartEncodingApplied()).isFalse();
        assertThat(analysis.replacements()).isEmpty();
    }

    @Test
    void bodyThatStaysUcs2BecauseOfChineseIsNotRewritten() {
        String text = "“退订” reply STOP — " + "x".repeat(80);

        BodyAnalysis analysis = Segments.analyze(text, true);

        assertThat(analysis.smartEncodedText()).isEmpty();
        assertThat(analysis.replacements()).isEmpty();
        assertThat(analysis.count()).isEqualTo(Segments.count(text));
        assertThat(analysis.count().encoding()).isEqualTo(SmsEncoding.UCS_2);
    }

    @Test
    void rewriteThatKeepsTheSameSegmentCountIsNotApplied() {
        BodyAnalysis analysis = Segments.analyze("It’s here", true);

        assertThat(analysis.count()).isEqualTo(new SegmentCount(SmsEncoding.UCS_2, 1, 9, 70));
        assertThat(analysis.smartEncodingApplied()).isFalse();
        assertThat(analysis.ucs2Characters()).extracting(Ucs2Character::codePoint).containsExactly("U+2019");
    }

    @Test
    void ellipsisExpansionThatWouldAddSegmentsIsNotApplied() {
        // 69 ellipses: 1 UCS-2 segment; as "..." they are 207 septets, 2 GSM-7 segments.
        String text = "…".repeat(69);

        BodyAnalysis analysis = Segments.analyze(text, true);

        assertThat(analysis.smartEncodingApplied()).isFalse();
        assertThat(analysis.count()).isEqualTo(new SegmentCount(SmsEncoding.UCS_2, 1, 69, 70));
    }

    @Test
    void invisibleCharactersAreRemovedAndOddSpacesBecomeSpaces() {
        String text = "Sale\u00A0ends\u2009today\u200B\u00AD – 50\u202F% off… " + "x".repeat(60);

        BodyAnalysis analysis = Segments.analyze(text, true);

        assertThat(analysis.smartEncodedText()).contains("Sale ends today - 50 % off... " + "x".repeat(60));
        assertThat(analysis.replacements()).extracting(Replacement::replacement)
                .containsExactly(" ", " ", "", "", "-", " ", "...");
    }

    @Test
    void fullwidthAsciiBecomesAscii() {
        String text = "ＳＡＬＥ！ Ｕｓｅ ｃｏｄｅ ＡＢＣ１２３ " + "x".repeat(60);

        assertThat(Segments.analyze(text, true).smartEncodedText()).contains("SALE! Use code ABC123 " + "x".repeat(60));
    }

    @Test
    void smartEncodingNeverEmptiesABody() {
        BodyAnalysis analysis = Segments.analyze("\u200B", true);

        assertThat(analysis.smartEncodingApplied()).isFalse();
        assertThat(analysis.count().segments()).isEqualTo(1);
    }

    @Test
    void lettersAreNeverTransliterated() {
        assertThat(SmartEncoding.toGsm("ação")).isEmpty();
        assertThat(SmartEncoding.replacements()).doesNotContainKeys('ç', 'ã', 'á', 'ş', 'ı');
    }

    @Test
    void everyLookAlikeIsOutsideGsmAndEveryReplacementIsGsm() {
        for (Map.Entry<Character, String> entry : SmartEncoding.replacements().entrySet()) {
            assertThat(GsmAlphabet.contains(entry.getKey())).as("U+%04X", (int) entry.getKey()).isFalse();
            for (char c : entry.getValue().toCharArray()) {
                assertThat(GsmAlphabet.contains(c)).as("replacement of U+%04X", (int) entry.getKey()).isTrue();
            }
        }
    }

    @Test
    void prepareGivesTheSenderTheBodyToSend() {
        assertThat(Segments.prepare(CURLY, true))
                .isEqualTo(new OutgoingText("\"Your order's ready\" " + "x".repeat(79),
                        new SegmentCount(SmsEncoding.GSM_7, 1, 100, 160), true));
        assertThat(Segments.prepare(CURLY, false))
                .isEqualTo(new OutgoingText(CURLY, new SegmentCount(SmsEncoding.UCS_2, 2, 100, 67), false));
    }

    @Test
    void analysisNamesTheCharactersThatForceUcs2AndWhereTheyAre() {
        BodyAnalysis analysis = Segments.analyze("Hi 😀 ç", false);

        assertThat(analysis.ucs2Characters()).containsExactly(
                new Ucs2Character(3, "😀", "U+1F600", "GRINNING FACE"),
                new Ucs2Character(6, "ç", "U+00E7", "LATIN SMALL LETTER C WITH CEDILLA"));
    }

    @Test
    void gsmBodyHasNothingToReport() {
        BodyAnalysis analysis = Segments.analyze("Your code is 123456", true);

        assertThat(analysis.count()).isEqualTo(new SegmentCount(SmsEncoding.GSM_7, 1, 19, 160));
        assertThat(analysis.ucs2Characters()).isEmpty();
        assertThat(analysis.smartEncodingApplied()).isFalse();
    }
}
