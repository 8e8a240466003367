package dev.dripline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every DRIPLINE_* duration follows one rule: ISO-8601, with a year, a month and a week counted as
 * 365, 30 and 7 days; a value that breaks it fails the start naming the variable and the value.
 * Written against {@link Settings#from} only, so it reads the same before and after the settings
 * were split by capability.
 */
class SettingsDurationsTest {

    /** Each duration variable and where its value lands. */
    private static final Map<String, Function<Settings, Duration>> DURATIONS = durations();

    private static Map<String, Function<Settings, Duration>> durations() {
        Map<String, Function<Settings, Duration>> d = new LinkedHashMap<>();
        d.put("DRIPLINE_SEND_VALIDITY", s -> s.sender().validity());
        d.put("DRIPLINE_BREAKER_COOL_DOWN", s -> s.sender().breakerCoolDown());
        d.put("DRIPLINE_PROVIDER_TIMEOUT", s -> s.sender().providerTimeout());
        d.put("DRIPLINE_BODY_RETENTION", s -> s.sender().bodyRetention());
        d.put("DRIPLINE_ATTRIBUTION_WINDOW", s -> s.analytics().attributionWindow());
        d.put("DRIPLINE_QUEUE_DELAY_UP_TO", s -> s.drip().queueDelayUpTo());
        d.put("DRIPLINE_VERIFY_LIFETIME", s -> s.verification().lifetime());
        d.put("DRIPLINE_OUTBOUND_WEBHOOK_FIRST_RETRY", s -> s.outboundWebhook().firstRetry());
        return d;
    }

    private static Duration read(String variable, String value) {
        return DURATIONS.get(variable).apply(Settings.from(Map.of(variable, value)));
    }

    @Test
    void aYearAndTwoDaysIsNeverTwoDays() {
        DURATIONS.keySet().forEach(variable ->
                assertThat(read(variable, "P1Y2D")).as(variable).isEqualTo(Duration.ofDays(367)));
    }

    @Test
    void aMonthIsThirtyDaysForEveryVariable() {
        DURATIONS.keySet().forEach(variable -> {
            assertThat(read(variable, "P1M")).as(variable).isEqualTo(Duration.ofDays(30));
            assertThat(read(variable, "P2W")).as(variable).isEqualTo(Duration.ofDays(14));
        });
    }

    @Test
    void daysHoursAndTheirMixReadAlikeEverywhere() {
        DURATIONS.keySet().forEach(variable -> {
            assertThat(read(variable, "P7D")).as(variable).isEqualTo(Duration.ofDays(7));
            assertThat(read(variable, "PT12H")).as(variable).isEqualTo(Duration.ofHours(12));
            assertThat(read(variable, " p1dt30m ")).as(variable).isEqualTo(Duration.ofDays(1).plusMinutes(30));
        });
    }

    @Test
    void aBadDurationFailsTheStartNamingTheVariableAndTheValue() {
        for (String variable : DURATIONS.keySet()) {
            for (String bad : new String[] {"15m", "P1X", "PT", "P", "-P1D", "P1D2Y"}) {
                assertThatThrownBy(() -> Settings.from(Map.of(variable, bad))).as(variable + "=" + bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(variable).hasMessageContaining("'" + bad + "'");
            }
        }
    }

    @Test
    void aZeroDurationIsRefusedExceptWhereZeroTurnsAWaitOff() {
        DURATIONS.keySet().stream().filter(v -> !v.equals("DRIPLINE_QUEUE_DELAY_UP_TO")).forEach(variable ->
                assertThatThrownBy(() -> Settings.from(Map.of(variable, "PT0S"))).as(variable)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(variable));
        assertThat(read("DRIPLINE_QUEUE_DELAY_UP_TO", "PT0S")).isZero();
    }

    @Test
    void badNumbersAndFlagsNameTheirVariable() {
        for (Map.Entry<String, String> bad : Map.of("DRIPLINE_FREQUENCY_CAP", "three", "DRIPLINE_COUNTER_SHARDS", "eight",
                "DRIPLINE_OUTBOUND_WEBHOOK_MAX_ATTEMPTS", "ten", "DRIPLINE_API_BURST", "x", "DRIPLINE_SMART_ENCODING", "yes").entrySet()) {
            assertThatThrownBy(() -> Settings.from(Map.of(bad.getKey(), bad.getValue()))).as(bad.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.getKey()).hasMessageContaining("'" + bad.getValue() + "'");
        }
    }

    @Test
    void noSecretIsEverInTheSettingsText() {
        String[] pairs = {"DRIPLINE_PROVIDERS", "simulator,twilio,plivo,telnyx,vonage",
            "DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:9", "DRIPLINE_SIMULATOR_SECRET", "secret-simulator",
            "DRIPLINE_TWILIO_ACCOUNT_SID", "AC1", "DRIPLINE_TWILIO_AUTH_TOKEN", "secret-twilio", "DRIPLINE_TWILIO_FROM", "+15005550006",
            "DRIPLINE_PLIVO_AUTH_ID", "MA1", "DRIPLINE_PLIVO_AUTH_TOKEN", "secret-plivo", "DRIPLINE_PLIVO_FROM", "+15005550007",
            "DRIPLINE_TELNYX_API_KEY", "secret-telnyx", "DRIPLINE_TELNYX_FROM", "+15005550008",
            "DRIPLINE_VONAGE_API_KEY", "vk", "DRIPLINE_VONAGE_API_SECRET", "secret-vonage",
            "DRIPLINE_VONAGE_SIGNATURE_SECRET", "secret-vonage-signature", "DRIPLINE_VONAGE_FROM", "Acme",
            "DRIPLINE_SUPPRESSION_SALT", "secret-salt", "DRIPLINE_VERIFY_SECRET", "secret-verify",
            "DRIPLINE_OUTBOUND_WEBHOOK_URL", "https://hooks.example.com/in", "DRIPLINE_OUTBOUND_WEBHOOK_SECRET", "secret-outbound"};
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }

        String text = Settings.from(env).toString();

        assertThat(text).doesNotContain("secret-").contains("AC1", "MA1", "hooks.example.com");
    }
}
