package dev.dripline.secrets;

import dev.dripline.config.Secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretValuesTest {

    private static final String TWILIO_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dripline/providers/twilio-AbCdEf";
    private static final String VONAGE_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dripline/providers/vonage-AbCdEf";

    @Test
    void eachConfiguredSecretFillsTheProvidersVariablesAndTheSettingsReadThem() {
        List<String> read = new ArrayList<>();
        Map<String, String> env = SecretValues.resolve(Map.of(
                "DRIPLINE_TWILIO_SECRET_ARN", TWILIO_ARN, "DRIPLINE_TWILIO_FROM", "+18335550100",
                "DRIPLINE_VONAGE_SECRET_ARN", VONAGE_ARN), arn -> {
                    read.add(arn);
                    return arn.equals(TWILIO_ARN) ? "{\"accountSid\":\"AC123\",\"authToken\":\"tok\"}"
                            : "{\"apiKey\":\"k\",\"apiSecret\":\"s\",\"signatureSecret\":\"sig-secret\"}";
                });
        assertThat(read).containsExactlyInAnyOrder(TWILIO_ARN, VONAGE_ARN);
        Settings settings = Settings.from(env);
        assertThat(settings.twilio()).hasValueSatisfying(t -> {
            assertThat(t.accountSid()).isEqualTo("AC123");
            assertThat(t.authToken().reveal()).isEqualTo("tok");
        });
        assertThat(settings.webhooks().twilioAuthToken().map(Secret::reveal)).contains("tok");
        assertThat(settings.webhooks().vonageSignatureSecret().map(Secret::reveal)).contains("sig-secret");
        assertThat(env).containsEntry("DRIPLINE_VONAGE_API_SECRET", "s");
    }

    @Test
    void noArnReadsNoSecretAndAVariableAlreadySetWins() {
        assertThat(SecretValues.anyArn(Map.of("DRIPLINE_TWILIO_AUTH_TOKEN", "x"))).isFalse();
        assertThat(SecretValues.resolve(Map.of("A", "b"), arn -> {
            throw new AssertionError("no secret should be read");
        })).isEqualTo(Map.of("A", "b"));
        Map<String, String> env = SecretValues.resolve(Map.of("DRIPLINE_PLIVO_SECRET_ARN", "arn:p", "DRIPLINE_PLIVO_AUTH_TOKEN", "local"),
                arn -> "{\"authId\":\"MA1\",\"authToken\":\"from-secret\"}");
        assertThat(env).containsEntry("DRIPLINE_PLIVO_AUTH_TOKEN", "local").containsEntry("DRIPLINE_PLIVO_AUTH_ID", "MA1");
    }

    @Test
    void aSecretThatIsNotTheExpectedJsonFailsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> SecretValues.resolve(Map.of("DRIPLINE_TELNYX_SECRET_ARN", "arn:t"), arn -> "plain-token"))
                .hasMessageContaining("DRIPLINE_TELNYX_SECRET_ARN").hasMessageNotContaining("plain-token");
        assertThatThrownBy(() -> SecretValues.resolve(Map.of("DRIPLINE_TELNYX_SECRET_ARN", "arn:t"), arn -> "{\"apikey\":\"x\"}"))
                .hasMessageContaining("unknown field 'apikey'");
    }

    @Test
    void theSuppressionSaltIsReadWholeFromItsSecretAndTheSettingsUseIt() {
        String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dripline-salt-AbCdEf";
        Map<String, String> env = Map.of("DRIPLINE_SUPPRESSION_SALT_SECRET_ARN", arn);
        assertThat(SecretValues.anyArn(env)).isTrue();
        List<String> read = new ArrayList<>();
        Map<String, String> resolved = SecretValues.resolve(env, a -> {
            read.add(a);
            return "Zx9salt0fTheStack0123456789\n";
        });
        assertThat(read).containsExactly(arn);
        assertThat(resolved).containsEntry("DRIPLINE_SUPPRESSION_SALT", "Zx9salt0fTheStack0123456789");
        assertThat(Settings.from(resolved).audience().salt()).contains("Zx9salt0fTheStack0123456789");
    }

    @Test
    void aSuppressionSaltAlreadySetWinsAndAnEmptySecretFailsTheStart() {
        Map<String, String> local = Map.of("DRIPLINE_SUPPRESSION_SALT_SECRET_ARN", "arn:s", "DRIPLINE_SUPPRESSION_SALT", "local-salt");
        assertThat(SecretValues.resolve(local, arn -> {
            throw new AssertionError("the secret should not be read");
        })).containsEntry("DRIPLINE_SUPPRESSION_SALT", "local-salt");
        assertThatThrownBy(() -> SecretValues.resolve(Map.of("DRIPLINE_SUPPRESSION_SALT_SECRET_ARN", "arn:s"), arn -> " "))
                .hasMessageContaining("DRIPLINE_SUPPRESSION_SALT_SECRET_ARN");
    }

    @Test
    void fieldNamesBecomeUpperSnakeCase() {
        assertThat(SecretValues.snake("authToken")).isEqualTo("AUTH_TOKEN");
        assertThat(SecretValues.snake("signatureSecret")).isEqualTo("SIGNATURE_SECRET");
        assertThat(SecretValues.snake("secret")).isEqualTo("SECRET");
    }
}
