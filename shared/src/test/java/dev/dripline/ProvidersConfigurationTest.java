package dev.dripline;

import dev.dripline.messaging.SenderSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DRIPLINE_PROVIDERS and each provider's variables, read at start-up (no engine is called). */
class ProvidersConfigurationTest {

    private static final Map<String, String> ALL = Map.ofEntries(
            Map.entry("DRIPLINE_TWILIO_ACCOUNT_SID", "AC1"), Map.entry("DRIPLINE_TWILIO_AUTH_TOKEN", "tw-secret"),
            Map.entry("DRIPLINE_TWILIO_FROM", "+15005550006"),
            Map.entry("DRIPLINE_PLIVO_AUTH_ID", "MA1"), Map.entry("DRIPLINE_PLIVO_AUTH_TOKEN", "pl-secret"),
            Map.entry("DRIPLINE_PLIVO_FROM", "+15005550007"),
            Map.entry("DRIPLINE_TELNYX_API_KEY", "tx-secret"), Map.entry("DRIPLINE_TELNYX_FROM", "+15005550008"),
            Map.entry("DRIPLINE_VONAGE_API_KEY", "vk"), Map.entry("DRIPLINE_VONAGE_API_SECRET", "vn-secret"),
            Map.entry("DRIPLINE_VONAGE_FROM", "Dripline"),
            Map.entry("DRIPLINE_AWS_ORIGINATION_IDENTITY", "+12065550100"));

    private static Dripline core(Map<String, String> env) {
        DynamoDbClient unused = DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        StepScheduler none = new StepScheduler() {
            @Override
            public void schedule(String name, Instant at, Due due) {
            }

            @Override
            public void cancel(String name) {
            }
        };
        return new Dripline(Settings.from(env), unused, () -> null, () -> none, Clock.systemUTC());
    }

    private static Map<String, String> env(String providers, Map<String, String> vars) {
        Map<String, String> env = new HashMap<>(vars);
        env.put("DRIPLINE_PROVIDERS", providers);
        return env;
    }

    @Test
    void everySupportedProviderIsBuiltFromItsVariables() {
        assertThat(core(env("twilio,plivo,telnyx,vonage,aws", ALL)).sender()).isNotNull();
        Settings settings = Settings.from(ALL);
        assertThat(settings.twilio()).hasValueSatisfying(t -> assertThat(t.baseUrl()).hasToString("https://api.twilio.com"));
        assertThat(settings.vonage()).hasValueSatisfying(v -> assertThat(v.baseUrl()).hasToString("https://rest.nexmo.com"));
        assertThat(settings.aws()).hasValueSatisfying(a -> assertThat(a.endpoint()).isEmpty());
    }

    @Test
    void aNamedProviderWithoutItsVariablesFailsStartUpNamingThem() {
        assertThatThrownBy(() -> core(env("simulator,twilio", Map.of("DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:9",
                "DRIPLINE_TWILIO_ACCOUNT_SID", "AC1"))).sender())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("DRIPLINE_PROVIDERS names twilio but DRIPLINE_TWILIO_AUTH_TOKEN, DRIPLINE_TWILIO_FROM or"
                        + " DRIPLINE_TWILIO_MESSAGING_SERVICE_SID (or twilio numbers in DRIPLINE_SENDERS) are not set");
        assertThatThrownBy(() -> core(env("aws", Map.of())).sender())
                .hasMessage("DRIPLINE_PROVIDERS names aws but DRIPLINE_AWS_ORIGINATION_IDENTITY is not set");
        assertThatThrownBy(() -> core(env("sinch", ALL)).sender()).hasMessageContaining("'sinch'");
    }

    @Test
    void aProvidersOwnPoolOfNumbersIsASenderIdentity() {
        Settings settings = Settings.from(Map.ofEntries(
                Map.entry("DRIPLINE_TWILIO_ACCOUNT_SID", "AC1"), Map.entry("DRIPLINE_TWILIO_AUTH_TOKEN", "t"),
                Map.entry("DRIPLINE_TWILIO_MESSAGING_SERVICE_SID", "MG1"),
                Map.entry("DRIPLINE_PLIVO_AUTH_ID", "MA1"), Map.entry("DRIPLINE_PLIVO_AUTH_TOKEN", "t"),
                Map.entry("DRIPLINE_PLIVO_POWERPACK_UUID", "pp-1"),
                Map.entry("DRIPLINE_TELNYX_API_KEY", "k"), Map.entry("DRIPLINE_TELNYX_MESSAGING_PROFILE_ID", "prof-1"),
                Map.entry("DRIPLINE_VONAGE_API_KEY", "vk"), Map.entry("DRIPLINE_VONAGE_API_SECRET", "s"),
                Map.entry("DRIPLINE_SENDERS", "vonage:Acme=alphanumeric")));

        assertThat(settings.twilio()).hasValueSatisfying(t -> assertThat(t.messagingServiceSid()).isEqualTo("MG1"));
        assertThat(settings.plivo()).hasValueSatisfying(p -> assertThat(p.powerpackUuid()).isEqualTo("pp-1"));
        assertThat(settings.telnyx()).hasValueSatisfying(t -> assertThat(t.messagingProfileId()).isEqualTo("prof-1"));
        assertThat(settings.vonage()).as("vonage's numbers listed in DRIPLINE_SENDERS").isPresent();
        assertThat(settings.missingProviderVariables()).doesNotContainKeys("twilio", "plivo", "telnyx", "vonage");
    }

    @Test
    void withoutAnyProviderNothingCanBeSentAndTheSimulatorNeedsItsUrl() {
        assertThat(Settings.from(Map.of("DRIPLINE_PROVIDERS", "")).hasProvider()).isFalse();
        assertThat(Settings.from(Map.of("DRIPLINE_PROVIDERS", "simulator")).hasProvider()).isFalse();
        assertThat(Settings.from(Map.of("DRIPLINE_PROVIDERS", "simulator", "DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:9")).hasProvider())
                .isTrue();
        assertThat(Settings.from(Map.of("DRIPLINE_PROVIDERS", "twilio")).hasProvider()).isTrue();
    }

    @Test
    void onLambdaThePublicUrlHasNoLocalhostDefault() {
        Map<String, String> lambda = Map.of("AWS_LAMBDA_FUNCTION_NAME", "stack-api");
        Settings api = Settings.from(lambda);
        assertThat(api.publicUrl()).as("taken from each request").isNull();
        assertThatThrownBy(() -> api.requirePublicUrl("sender")).hasMessageStartingWith("DRIPLINE_PUBLIC_URL is not set: the sender function");
        assertThatThrownBy(() -> core(env("simulator", Map.of("AWS_LAMBDA_FUNCTION_NAME", "stack-sender",
                "DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:9"))).sender())
                .hasMessageContaining("DRIPLINE_PUBLIC_URL is not set");

        for (String local : new String[] {"http://localhost:8080", "https://127.0.0.1", "http://sms.example.com"}) {
            Map<String, String> env = new HashMap<>(lambda);
            env.put("DRIPLINE_PUBLIC_URL", local);
            assertThatThrownBy(() -> Settings.from(env)).as(local).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("DRIPLINE_PUBLIC_URL is " + local).hasMessageContaining("PublicUrl");
        }
        Map<String, String> custom = new HashMap<>(lambda);
        custom.put("DRIPLINE_PUBLIC_URL", "https://sms.example.com/");
        assertThat(Settings.from(custom).publicUrl()).hasToString("https://sms.example.com");
        assertThat(Settings.from(Map.of()).publicUrl()).as("locally").hasToString("http://localhost:8080");
    }

    @Test
    void aProviderNotNamedNeedsNoVariables() {
        assertThat(Settings.from(Map.of()).twilio()).isEmpty();
        assertThat(core(env("simulator", Map.of("DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:9"))).sender()).isNotNull();
    }

    @Test
    void secretsNeverAppearInTheSettingsText() {
        String text = Settings.from(ALL).toString();
        assertThat(text).doesNotContain("tw-secret", "pl-secret", "tx-secret", "vn-secret").contains("AC1");
    }

    @Test
    void senderDefaultsAndBadValues() {
        SenderSettings defaults = Settings.from(Map.of()).sender();
        assertThat(defaults.validity()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.maxAttempts()).isEqualTo(8);
        assertThat(defaults.breakerFailures()).isEqualTo(5);
        assertThat(defaults.breakerCoolDown()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> Settings.from(Map.of("DRIPLINE_SEND_VALIDITY", "24h"))).hasMessageContaining("DRIPLINE_SEND_VALIDITY");
        assertThatThrownBy(() -> Settings.from(Map.of("DRIPLINE_SEND_MAX_ATTEMPTS", "0"))).hasMessageContaining("DRIPLINE_SEND_MAX_ATTEMPTS");
    }
}
