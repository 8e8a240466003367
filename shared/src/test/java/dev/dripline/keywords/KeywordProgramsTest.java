package dev.dripline.keywords;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.InvalidInput;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    @Test
    void twoConcurrentCreatesOfOneKeywordOnOneNumberCannotBothSucceed(Engines engines) throws Exception {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        KeywordPrograms programs = core.keywordPrograms();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                String keyword = "RACE" + round;
                List<String> numbers = round % 2 == 0 ? List.of("+14155550100") : null;
                CyclicBarrier start = new CyclicBarrier(2);
                List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String event = "event_" + i;
                    attempts.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await(10, TimeUnit.SECONDS);
                            programs.create(numbers == null ? Map.of("keyword", keyword, "reply", "ok", "event", event)
                                    : Map.of("keyword", keyword, "numbers", numbers, "reply", "ok", "event", event));
                            return true;
                        } catch (Conflict refused) {
                            return false;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, pool));
                }
                long won = attempts.stream().map(CompletableFuture::join).filter(b -> b).count();
                assertThat(won).as("round %d: exactly one of two racing creates of %s succeeds", round, keyword).isEqualTo(1);
                assertThat(programs.list(100, null).items().stream().filter(p -> p.keyword().equals(keyword)).count()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeywordsNumbersAreFreedByDeleteAndReplaceSoAnotherProgramCanTakeThem(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        KeywordPrograms programs = core.keywordPrograms();
        KeywordProgram first = programs.create(park(List.of("+14155550100", "+14155550101"), "first"));
        assertThatThrownBy(() -> programs.create(park(List.of("+14155550101"), "second"))).isInstanceOf(Conflict.class);
        programs.replace(first.id(), park(List.of("+14155550100"), "first"));
        KeywordProgram second = programs.create(park(List.of("+14155550101"), "second"));
        programs.delete(first.id());
        programs.create(park(List.of("+14155550100"), "third"));
        programs.replace(second.id(), park(List.of("+14155550101", "+14155550102"), "second"));
        assertThat(programs.match("+14155550102", "park 1234").orElseThrow().program().id()).isEqualTo(second.id());
    }

    @Test
    void aCatastrophicBacktrackingPatternAnswersAtOnce(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        KeywordPrograms programs = core.keywordPrograms();
        programs.create(Map.of("keyword", "EVIL", "argument", Map.of("name", "code", "pattern", "(a+)+$"), "reply", "ok {{argument}}",
                "event", "evil"));
        // 150 characters: within the 200 a message may have; a backtracking engine takes ~2^150 steps on it.
        String body = "EVIL " + "a".repeat(150) + "b";
        long started = System.nanoTime();
        KeywordPrograms.Match match = programs.match("+14155550100", body).orElseThrow();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(match.argumentOk()).isFalse();
        assertThat(programs.match("+14155550100", "EVIL aaaa").orElseThrow().argumentOk()).isTrue();
    }

    @Test
    void aPatternRe2CannotCompileIsRefusedNamingTheField(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        KeywordPrograms programs = core.keywordPrograms();
        // A backreference and a lookahead: Java's engine takes them, RE2 (linear time) does not.
        for (String pattern : List.of("^(a)\\1$", "^(?=a)a$")) {
            assertThatThrownBy(() -> programs.create(Map.of("keyword", "REF", "argument", Map.of("name", "code", "pattern", pattern),
                    "reply", "ok", "event", "ref")))
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).singleElement()
                            .satisfies(f -> {
                                assertThat(f.field()).isEqualTo("argument.pattern");
                                assertThat(f.message()).contains("RE2");
                            }));
        }
    }
}
