package dev.dripline.keywords;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeywordRulesTest {

    private final KeywordRules rules = KeywordRules.defaultsOnly();

    private Optional<KeywordRule.Action> action(String body) {
        return rules.match(body).map(KeywordRule::action);
    }

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", "  Stop!  ", "STOPALL", "stop all", "Stop   All.", "UNSUBSCRIBE", "cancel", "End",
        "quit?", "REVOKE", "optout", "退订", "停止", "退订。", "t", "TD", "td！"})
    void theOptOutKeywordsOptOutInAnyCaseWithTrailingPunctuation(String body) {
        assertThat(action(body)).contains(KeywordRule.Action.OPT_OUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stop sending me this", "please stop", "STOPP", "S T O P", "", "   ", "我要退订", "unsubscribe me"})
    void aMessageThatIsMoreThanTheKeywordIsAnOrdinaryReply(String body) {
        assertThat(action(body)).isEmpty();
    }

    @Test
    void optInHelpAndConfirmationKeywords() {
        assertThat(action("start")).contains(KeywordRule.Action.OPT_IN);
        assertThat(action("Yes!")).contains(KeywordRule.Action.OPT_IN);
        assertThat(action("UNSTOP")).contains(KeywordRule.Action.OPT_IN);
        assertThat(action("是")).contains(KeywordRule.Action.CONFIRM);
        assertThat(action("help")).contains(KeywordRule.Action.HELP);
        assertThat(action("Info.")).contains(KeywordRule.Action.HELP);
        assertThat(action("帮助")).contains(KeywordRule.Action.HELP);
    }

    @Test
    void chineseKeywordsAnswerInChinese() {
        assertThat(rules.match("退订").orElseThrow().language()).isEqualTo("zh");
        assertThat(rules.match("TD").orElseThrow().language()).isEqualTo("zh");
        assertThat(rules.match("STOP").orElseThrow().language()).isEqualTo("en");
    }

    @Test
    void theTeamAddsKeywordsAndLanguagesByConfiguration() {
        KeywordRules custom = KeywordRules.fromJson("[{\"keyword\":\"want100\",\"reply\":\"{brand}: you're in\",\"tags\":[\"contest\"],"
                + "\"event\":\"contest_entry\"},{\"keyword\":\"ARRET\",\"action\":\"opt_out\",\"language\":\"fr\","
                + "\"reply\":\"{brand}: vous êtes désabonné.\"}]");
        KeywordRule want = custom.match("Want100!").orElseThrow();
        assertThat(want.action()).isEqualTo(KeywordRule.Action.CUSTOM);
        assertThat(want.tags()).containsExactly("contest");
        assertThat(want.event()).isEqualTo("contest_entry");
        assertThat(new Replies("Acme", Optional.empty()).textFor(want)).isEqualTo("Acme: you're in");
        assertThat(custom.match("arret").orElseThrow().action()).isEqualTo(KeywordRule.Action.OPT_OUT);
        assertThat(custom.match("STOP").orElseThrow().action()).isEqualTo(KeywordRule.Action.OPT_OUT);
    }

    @Test
    void theDefaultsCannotBeRedefinedOrRemoved() {
        assertThatThrownBy(() -> KeywordRules.fromJson("[{\"keyword\":\"stop\",\"reply\":\"ok\"}]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default keyword");
        assertThatThrownBy(() -> KeywordRules.fromJson("{\"keyword\":\"X\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeywordRules.fromJson("[{\"keyword\":\"X\",\"action\":\"explode\"}]"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void repliesCarryTheBrandAndTheHelpTextCanBeConfigured() {
        Replies replies = new Replies("Acme", Optional.empty());
        assertThat(replies.textFor(rules.match("STOP").orElseThrow()))
                .isEqualTo("Acme: You are unsubscribed and will receive no more messages. Reply START to resubscribe.");
        assertThat(replies.textFor(rules.match("退订").orElseThrow())).startsWith("Acme：").contains("退订");
        assertThat(replies.textFor(rules.match("HELP").orElseThrow()))
                .isEqualTo("Acme: Reply STOP to unsubscribe. Msg&data rates may apply.");
        assertThat(new Replies("Acme", Optional.of("{brand} help: call 555")).textFor(rules.match("INFO").orElseThrow()))
                .isEqualTo("Acme help: call 555");
    }
}
