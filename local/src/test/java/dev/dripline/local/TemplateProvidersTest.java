package dev.dripline.local;

import dev.dripline.providers.AwsSmsSettings;
import dev.dripline.providers.PlivoSettings;
import dev.dripline.providers.TelnyxSettings;
import dev.dripline.providers.TwilioSettings;
import dev.dripline.providers.VonageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.secrets.SecretValues;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A stack deployed with {@code sam deploy --parameter-overrides Providers=<p> <P>SecretArn=...}
 * sends through that provider: each function's settings are built from template.yaml's
 * environment (Globals and the function's own, parameters substituted, conditions resolved) and
 * the provider's secret as SecretValues resolves it at start, with no AWS account.
 */
class TemplateProvidersTest {

    private static final Path TEMPLATE = Path.of("../template.yaml");
    private static final String ACCOUNT = DeployedTemplate.ACCOUNT;
    private static final String REGION = DeployedTemplate.REGION;

    /** Per provider: the parameters a deploy gives, and the JSON in its secret (none for aws: its role is the credential). */
    private record Deploy(Map<String, String> parameters, String secretArn, String secretJson) {
    }

    private static Deploy deploy(String provider) {
        String arn = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:stack/providers/" + provider + "-AbCdEf";
        return switch (provider) {
            case "twilio" -> new Deploy(Map.of("Providers", "twilio", "TwilioSecretArn", arn), arn,
                    "{\"accountSid\":\"AC0123456789abcdef0123456789abcdef\",\"authToken\":\"tok\",\"messagingServiceSid\":\"MG0123456789abcdef0123456789abcdef\"}");
            case "plivo" -> new Deploy(Map.of("Providers", "plivo", "PlivoSecretArn", arn), arn,
                    "{\"authId\":\"MAXXXXXXXXXXXXXXXXXX\",\"authToken\":\"tok\",\"from\":\"+14155550100\"}");
            case "telnyx" -> new Deploy(Map.of("Providers", "telnyx", "TelnyxSecretArn", arn), arn,
                    "{\"apiKey\":\"KEY0123\",\"publicKey\":\"cHVibGlj\",\"messagingProfileId\":\"40017f8e-49bd-4f16-9e3d-ef103f916228\"}");
            case "vonage" -> new Deploy(Map.of("Providers", "vonage", "VonageSecretArn", arn), arn,
                    "{\"apiKey\":\"abcd1234\",\"apiSecret\":\"secret\",\"signatureSecret\":\"sig\",\"from\":\"Acme\"}");
            case "aws" -> new Deploy(Map.of("Providers", "aws",
                    "AwsOriginationIdentityArn", "arn:aws:sms-voice:" + REGION + ":" + ACCOUNT + ":pool/pool-0123456789abcdef",
                    "AwsConfigurationSetName", "dripline-events"), null, null);
            default -> throw new IllegalArgumentException(provider);
        };
    }

    /** The settings a function builds at start: its environment, secrets resolved as Dripline.fromEnvironment does. */
    private static Settings settingsOf(DeployedTemplate stack, String function, Deploy deploy) {
        Map<String, String> env = stack.environment(function);
        Function<String, String> secrets = arn -> {
            if (arn.equals(deploy.secretArn())) {
                return deploy.secretJson();
            }
            if (arn.equals(DeployedTemplate.placeholder("VerifySecret"))) {
                return "{\"secret\":\"generated-by-secrets-manager\"}"; // the stack's own
            }
            if (arn.equals(DeployedTemplate.placeholder("SuppressionSaltSecret"))) {
                return "generated-salt-of-forty-eight-characters-0123456"; // the stack's own, a plain string
            }
            throw new AssertionError(function + " reads a secret it was not given: " + arn);
        };
        return Settings.from(SecretValues.anyArn(env) ? SecretValues.resolve(env, secrets) : env);
    }

    @ParameterizedTest
    @ValueSource(strings = {"twilio", "plivo", "telnyx", "vonage", "aws"})
    void aStackDeployedWithOneProviderSendsThroughItWithItsSenderIdentity(String provider) throws Exception {
        Deploy deploy = deploy(provider);
        DeployedTemplate stack = new DeployedTemplate(TEMPLATE, deploy.parameters());

        Settings sender = settingsOf(stack, "SenderFunction", deploy);

        assertThat(sender.providers()).containsExactly(provider);
        assertThat(sender.hasProvider()).isTrue();
        Dripline.checkProviders(sender); // what fails the sender's start when a provider lacks a variable
        switch (provider) {
            case "twilio" -> {
                assertThat(sender.twilio()).get().extracting(TwilioSettings::messagingServiceSid)
                        .isEqualTo("MG0123456789abcdef0123456789abcdef");
                assertThat(sender.twilio().get().accountSid()).isEqualTo("AC0123456789abcdef0123456789abcdef");
            }
            case "plivo" -> assertThat(sender.plivo()).get().extracting(PlivoSettings::from).isEqualTo("+14155550100");
            case "telnyx" -> assertThat(sender.telnyx()).get().extracting(TelnyxSettings::messagingProfileId)
                    .isEqualTo("40017f8e-49bd-4f16-9e3d-ef103f916228");
            case "vonage" -> assertThat(sender.vonage()).get().extracting(VonageSettings::from).isEqualTo("Acme");
            case "aws" -> {
                assertThat(sender.aws()).get().extracting(AwsSmsSettings::originationIdentity)
                        .isEqualTo(deploy.parameters().get("AwsOriginationIdentityArn"));
                assertThat(sender.aws().get().configurationSet()).contains("dripline-events");
                assertThat(sender.aws().get().region()).isEqualTo(REGION);
            }
            default -> throw new IllegalArgumentException(provider);
        }
        // Status callbacks: the API's own URL, since PublicUrl is empty.
        assertThat(sender.requirePublicUrl("sender")).isEqualTo(URI.create("https://httpapi.execute-api." + REGION + ".amazonaws.com"));

        // The sender's role may read exactly that secret (besides the stack's own suppression salt), or send from
        // exactly that origination identity.
        List<Map<String, Object>> policy = stack.statements("SenderFunctionRole");
        String salt = DeployedTemplate.placeholder("SuppressionSaltSecret");
        if (deploy.secretArn() != null) {
            assertThat(resourcesOf(policy, "secretsmanager:GetSecretValue")).containsExactlyInAnyOrder(salt, deploy.secretArn());
            assertThat(resourcesOf(policy, "sms-voice:SendTextMessage")).isEmpty();
        } else {
            assertThat(resourcesOf(policy, "sms-voice:SendTextMessage")).containsExactly(
                    deploy.parameters().get("AwsOriginationIdentityArn"),
                    "arn:aws:sms-voice:" + REGION + ":" + ACCOUNT + ":configuration-set/dripline-events");
            assertThat(resourcesOf(policy, "secretsmanager:GetSecretValue")).containsExactly(salt);
        }

        // The api function accepts sends (no 503) and takes its public URL from each request.
        Settings api = settingsOf(stack, "ApiFunction", deploy);
        assertThat(api.hasProvider()).isTrue();
        assertThat(api.publicUrl()).isNull();
        assertThatThrownBy(() -> api.requirePublicUrl("api")).hasMessageContaining("DRIPLINE_PUBLIC_URL is not set");
    }

    @Test
    void aStackDeployedWithTheDefaultsHasNoProviderAndSaysSo() throws Exception {
        DeployedTemplate stack = new DeployedTemplate(TEMPLATE, Map.of());
        Deploy none = new Deploy(Map.of(), null, null);
        for (String function : List.of("ApiFunction", "SenderFunction", "StepsFunction", "WebhooksFunction")) {
            Settings settings = settingsOf(stack, function, none);
            assertThat(settings.providers()).as(function).isEmpty();
            assertThat(settings.hasProvider()).as(function).isFalse();
        }
    }

    @Test
    void theSimulatorOnAwsCountsOnlyWithItsUrl() throws Exception {
        Deploy none = new Deploy(Map.of(), null, null);
        Settings without = settingsOf(new DeployedTemplate(TEMPLATE, Map.of("Providers", "simulator")), "ApiFunction", none);
        Settings with = settingsOf(new DeployedTemplate(TEMPLATE, Map.of("Providers", "simulator",
                "SimulatorUrl", "https://sim.example.com")), "ApiFunction", none);

        assertThat(without.hasProvider()).isFalse();
        assertThat(with.hasProvider()).isTrue();
    }

    @Test
    void aCustomDomainIsEveryFunctionsPublicUrl() throws Exception {
        DeployedTemplate stack = new DeployedTemplate(TEMPLATE, Map.of("PublicUrl", "https://sms.example.com"));
        Deploy none = new Deploy(Map.of(), null, null);
        for (String function : List.of("ApiFunction", "SenderFunction", "StepsFunction", "WebhooksFunction")) {
            assertThat(settingsOf(stack, function, none).publicUrl()).as(function).isEqualTo(URI.create("https://sms.example.com"));
        }
    }

    @Test
    void topicsAndRegistrationGatesReachEveryFunctionThatReadsThem() throws Exception {
        DeployedTemplate stack = new DeployedTemplate(TEMPLATE, Map.of("Topics", "marketing,alerts,clinic",
                "RevocationScope", "topic", "NumberTopics", "+14155550100=clinic",
                "ComplianceRegistrations", "US-TX=+15125550100|+15125550101", "ComplianceEnforceRegistration", "true"));
        Deploy none = new Deploy(Map.of(), null, null);
        for (String function : List.of("ApiFunction", "SenderFunction", "StepsFunction", "WebhooksFunction")) {
            Settings s = settingsOf(stack, function, none);
            assertThat(s.topics().names()).as(function).containsExactly("marketing", "alerts", "clinic");
            assertThat(s.topics().revocationScope()).as(function).isEqualTo("topic");
            assertThat(s.topics().ofNumber("+14155550100")).as(function).isEqualTo("clinic");
            assertThat(s.compliance().enforce()).as(function).isTrue();
            assertThat(s.compliance().registeredSenders()).as(function)
                    .containsEntry("US-TX", java.util.Set.of("+15125550100", "+15125550101"));
        }
        // The defaults: the built-in topics, STOP revokes all, no registrations, enforcement off.
        DeployedTemplate defaults = new DeployedTemplate(TEMPLATE, Map.of());
        for (String function : List.of("ApiFunction", "SenderFunction", "StepsFunction", "WebhooksFunction")) {
            Settings s = settingsOf(defaults, function, none);
            assertThat(s.topics()).as(function).isEqualTo(dev.dripline.consent.Topics.DEFAULT);
            assertThat(s.compliance().enforce()).as(function).isFalse();
            assertThat(s.compliance().registeredSenders()).as(function).isEmpty();
        }
    }

    @Test
    void aProviderSecretWithoutASenderFailsTheSendersStartNamingWhatToAdd() throws Exception {
        Deploy deploy = deploy("twilio");
        Deploy noSender = new Deploy(deploy.parameters(), deploy.secretArn(), "{\"accountSid\":\"AC01\",\"authToken\":\"tok\"}");
        Settings sender = settingsOf(new DeployedTemplate(TEMPLATE, noSender.parameters()), "SenderFunction", noSender);

        assertThatThrownBy(() -> Dripline.checkProviders(sender))
                .hasMessageContaining("DRIPLINE_TWILIO_FROM or DRIPLINE_TWILIO_MESSAGING_SERVICE_SID");
    }

    /** The resources of the statements that allow {@code action}. */
    private static List<String> resourcesOf(List<Map<String, Object>> statements, String action) {
        return statements.stream()
                .filter(s -> "Allow".equals(s.get("Effect")))
                .filter(s -> s.get("Action") instanceof List<?> l ? l.contains(action) : action.equals(s.get("Action")))
                .flatMap(s -> s.get("Resource") instanceof List<?> l ? l.stream().map(String::valueOf) : java.util.stream.Stream.of(String.valueOf(s.get("Resource"))))
                .toList();
    }
}
