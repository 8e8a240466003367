package dev.dripline.messaging.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GraphemesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "\uD83D\uDC4D\uD83C\uDFFD",                                    // 👍🏽 emoji + skin tone
        "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",            // 👨‍👩‍👧 ZWJ sequence
        "\uD83C\uDDEB\uD83C\uDDF7",                                    // 🇫🇷 regional indicator pair
        "e\u0301\u0323",                                               // e + two combining marks
        "\u2764\uFE0F",                                                // ❤️ variation selector
        "1\uFE0F\u20E3",                                               // 1️⃣ keycap
        "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08",                        // 🏳️‍🌈
        "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC7F",            // tag sequence
        "\r\n",
        "\u1100\u1161\u11A8",                                          // Hangul L V T
    })
    void aClusterIsOneUnit(String cluster) {
        assertThat(clusters(cluster + "x")).containsExactly(cluster, "x");
    }

    @Test
    void regionalIndicatorsPairUpFromTheStart() {
        String f = "\uD83C\uDDEB";
        String r = "\uD83C\uDDF7";

        assertThat(clusters(f + r + f + r + f)).containsExactly(f + r, f + r, f);
    }

    @Test
    void aDoubledZwjDoesNotJoinPictographsBecauseGb11WantsExactlyOne() {
        String grin = "\uD83D\uDE00";

        assertThat(clusters(grin + "\u200D\u200D" + grin)).containsExactly(grin + "\u200D\u200D", grin);
    }

    @Test
    void aMarkBetweenTwoZwjsAlsoBreaksBeforeThePictograph() {
        String grin = "\uD83D\uDE00";

        assertThat(clusters(grin + "\u200D\u0300\u200D" + grin)).containsExactly(grin + "\u200D\u0300\u200D", grin);
    }

    @Test
    void zwjBetweenNonPictographsDoesNotJoinThem() {
        assertThat(clusters("a\u200Db")).containsExactly("a\u200D", "b");
    }

    @Test
    void jdk17BreakIteratorSplitsEmojiModifierSequencesWhichIsWhyGraphemesExists() {
        // If a later JDK's BreakIterator keeps these whole, Graphemes could delegate to it.
        BreakIterator iterator = BreakIterator.getCharacterInstance();
        iterator.setText("\uD83D\uDC4D\uD83C\uDFFD");
        iterator.first();

        assertThat(iterator.next()).isEqualTo(Runtime.version().feature() >= 20 ? 4 : 2);
    }

    private static List<String> clusters(String text) {
        List<String> clusters = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = Graphemes.end(text, start);
            clusters.add(text.substring(start, end));
            start = end;
        }
        return clusters;
    }
}
