package dev.dripline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void theDurationRuleCountsCalendarUnitsAsFixedDays() {
        assertThat(Env.parseDuration("P1Y")).isEqualTo(Duration.ofDays(365));
        assertThat(Env.parseDuration("P1Y2M3W4DT5H6M7.5S")).isEqualTo(Duration.ofDays(365 + 60 + 21 + 4).plusHours(5).plusMinutes(6)
                .plusMillis(7500));
        assertThat(Env.parseDuration("PT90M")).isEqualTo(Duration.ofMinutes(90));
        for (String bad : new String[] {"", "P", "PT", "1D", "P1.5D", "P1H", "PT1D", "-PT5S", "P+1D", "P99999999999999999999D"}) {
            assertThatThrownBy(() -> Env.parseDuration(bad)).as(bad).isInstanceOfAny(DateTimeParseException.class, ArithmeticException.class,
                    NumberFormatException.class);
        }
    }

    @Test
    void anUnsetOrBlankVariableTakesItsDefault() {
        Env env = Env.of(Map.of("A", " ", "B", " 12 "));
        assertThat(env.integer("A", 3, 1, 10)).isEqualTo(3);
        assertThat(env.integer("B", 3, 1, 20)).isEqualTo(12);
        assertThat(env.duration("MISSING", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(env.flag("A", true)).isTrue();
        assertThat(env.optional("A")).isEmpty();
    }

    @Test
    void anErrorNamesTheVariableTheValueAndWhatIsExpected() {
        Env env = Env.of(Map.of("DRIPLINE_X", "11", "DRIPLINE_URL", "not a url", "DRIPLINE_D", "P1Q"));
        assertThatThrownBy(() -> env.integer("DRIPLINE_X", 1, 1, 10)).isInstanceOf(ConfigurationError.class)
                .hasMessage("DRIPLINE_X must be a whole number from 1 to 10, not '11'")
                .satisfies(e -> assertThat(((ConfigurationError) e).variable()).isEqualTo("DRIPLINE_X"));
        assertThatThrownBy(() -> env.url("DRIPLINE_URL", null)).isInstanceOf(ConfigurationError.class).hasMessageContaining("DRIPLINE_URL");
        assertThatThrownBy(() -> env.duration("DRIPLINE_D", Duration.ZERO)).isInstanceOf(ConfigurationError.class)
                .hasMessageStartingWith("DRIPLINE_D must be an ISO-8601 duration").hasMessageEndingWith("not 'P1Q'");
    }

    @Test
    void aSecretMasksItselfAndIsRevealedOnlyOnRequest() {
        Secret secret = Env.of(Map.of("S", " hunter2 ")).secret("S").orElseThrow();
        assertThat(secret).hasToString("****");
        assertThat(Map.of("token", secret).toString()).doesNotContain("hunter2");
        assertThat(secret.reveal()).isEqualTo("hunter2");
    }
}
