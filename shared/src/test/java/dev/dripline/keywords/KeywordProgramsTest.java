package dev.dripline.keywords;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How inbound texts match keyword programs: case, spacing, punctuation, arguments, and per-number programs first. */
@ExtendWith(EnginesExtension.class)
class KeywordProgramsTest {

    private static Map<String, Object> park(List<String> numbers, String event) {
        return numbers == null
                ? Map.of("keyword", "Park", "argument", Map.of("name", "lot", "pattern", "^[0-9]{4}$"), "reply", "Lot {{argument}}", "event", event)
                : Map.of("keyword", "Park", "numbers", numbers, "argument", Map.of("name", "lot", "pattern", "^[0-9]{4}$"),
                        "reply", "Lot {{argument}}", "event", event);
    }

    @Test
    void aMessageMatchesInAnyCaseWithItsArgumentAndTheNumbersOwnProgramWins(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        KeywordPrograms programs = core.keywordPrograms();
        programs.create(park(null, "park_anywhere"));
        programs.create(park(List.of("+14155550100"), "park_here"));
        programs.create(Map.of("keyword", "hours", "reply", "Open 9-5", "event", "hours_asked"));

        KeywordPrograms.Match here = programs.match("+14155550100", "  pArK   1234! ").orElseThrow();
        assertThat(here.program().event()).isEqualTo("park_here");
        assertThat(here.argumentOk()).isTrue();
        assertThat(here.properties()).isEqualTo(Map.of("lot", "1234"));
        assertThat(programs.match("+14155550999", "PARK 1234").orElseThrow().program().event()).isEqualTo("park_anywhere");

        KeywordPrograms.Match bad = programs.match("+14155550100", "park 12a4").orElseThrow();
        assertThat(bad.argumentOk()).isFalse();
        assertThat(bad.properties()).isEmpty();
        assertThat(programs.match("+14155550100", "park").orElseThrow().argumentOk()).isFalse();
        assertThat(programs.help(bad.program())).contains("PARK followed by your lot");

        assertThat(programs.match("+14155550100", "Hours?")).isPresent();
        assertThat(programs.match("+14155550100", "hours please")).as("a program without an argument takes just its keyword").isEmpty();
        assertThat(programs.match("+14155550100", "parking 1234")).isEmpty();
    }

    @Test
    void theReplyIsRenderedWithTheArgumentAndFallbacks(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        KeywordPrograms programs = core.keywordPrograms();
        KeywordProgram p = programs.create(Map.of("keyword", "PARK", "argument", Map.of("name", "lot", "pattern", "^[0-9]{4}$"),
                "reply", "{{brand}}: pay for lot {{argument}} here: {{event.url|https://pay.example}} {{firstName|}}", "event", "park_requested"));
        var contact = core.contacts().findOrCreate(dev.dripline.contacts.PhoneNumber.parse("+14155550123", null, "phone"), "test");
        assertThat(programs.reply(p, contact, Map.of("lot", "0042"))).isEqualTo("Dripline Demo: pay for lot 0042 here: https://pay.example");
    }
}
