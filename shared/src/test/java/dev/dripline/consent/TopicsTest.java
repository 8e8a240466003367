package dev.dripline.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.config.ConfigurationError;
import dev.dripline.errors.InvalidInput;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void theDefaultsAreThreeTopicsAndAStopRevokesEverything() {
        Topics t = Topics.parse(null, null, null);
        assertThat(t.names()).containsExactly("marketing", "reminders", "alerts");
        assertThat(t.revocationScope()).isEqualTo("all");
        assertThat(Topics.defaultFor("marketing")).isEqualTo("marketing");
        assertThat(Topics.defaultFor("transactional")).isEqualTo("alerts");
    }

    @Test
    void aConfiguredListScopeAndNumbersAreRead() {
        Topics t = Topics.parse("marketing, Alerts, billing", "TOPIC", "+18335550100=billing;+18335550101=marketing");
        assertThat(t.names()).containsExactly("marketing", "alerts", "billing");
        assertThat(t.revocationScope()).isEqualTo("topic");
        assertThat(t.ofNumber("+18335550100")).isEqualTo("billing");
        assertThat(t.ofNumber("+18335550199")).isNull();
        assertThat(t.resolve("Billing", "transactional", "topic")).isEqualTo("billing");
        assertThat(t.resolve(null, "transactional", "topic")).isEqualTo("alerts");
    }

    @Test
    void badSettingsNameTheirVariable() {
        assertThatThrownBy(() -> Topics.parse("marketing,alerts,Bad Name", null, null)).isInstanceOf(ConfigurationError.class)
                .hasMessageContaining("DRIPLINE_TOPICS");
        assertThatThrownBy(() -> Topics.parse("reminders", null, null)).hasMessageContaining("must include 'marketing'");
        assertThatThrownBy(() -> Topics.parse(null, "some", null)).hasMessageContaining("DRIPLINE_REVOCATION_SCOPE must be all or topic");
        assertThatThrownBy(() -> Topics.parse(null, null, "+18335550100=weather")).hasMessageContaining("DRIPLINE_NUMBER_TOPICS");
        assertThatThrownBy(() -> Topics.parse(null, null, "8335550100=alerts")).hasMessageContaining("DRIPLINE_NUMBER_TOPICS");
    }

    @Test
    void anUnknownTopicIsRefusedAsInput() {
        assertThatThrownBy(() -> Topics.DEFAULT.resolve("weather", "marketing", "topic")).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("weather");
        assertThat(Topics.DEFAULT.resolve(" Reminders ", "marketing", "topic")).isEqualTo("reminders");
    }
}
