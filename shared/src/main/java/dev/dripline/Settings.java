package dev.dripline;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the core reads from its environment, read once. On AWS template.yaml sets these
 * variables; the local runtime sets them for its own engines. Secrets are never defaults.
 *
 * @param brand            brand name put on marketing messages (DRIPLINE_BRAND)
 * @param publicUrl        the base URL providers call back (DRIPLINE_PUBLIC_URL)
 * @param providers        provider names in failover order (DRIPLINE_PROVIDERS)
 * @param tables           DynamoDB table names
 * @param sendQueueUrl     the send queue (DRIPLINE_SEND_QUEUE_URL)
 * @param stepsQueueUrl    the steps queue (DRIPLINE_STEPS_QUEUE_URL)
 * @param scheduler        EventBridge Scheduler: group, target queue ARN, role (AWS only)
 * @param simulator        the simulated carrier's endpoint and signing secret
 * @param smartEncoding    smart encoding for messages that do not say (DRIPLINE_SMART_ENCODING, default false)
 * @param publicUrlConfigured whether DRIPLINE_PUBLIC_URL was set; if not, webhooks take the base
 *                         URL from the request (API Gateway's own domain)
 * @param replies          keyword replies and the team's own keywords (DRIPLINE_HELP_TEXT, DRIPLINE_KEYWORDS)
 * @param webhooks         what provider webhooks are verified with; an absent one refuses its endpoint
 */
public record Settings(
        String brand,
        URI publicUrl,
        List<String> providers,
        TableNames tables,
        String sendQueueUrl,
        String stepsQueueUrl,
        SchedulerSettings scheduler,
        SimulatorSettings simulator,
        boolean smartEncoding,
        boolean publicUrlConfigured,
        ReplySettings replies,
        WebhookSecrets webhooks) {

    public static final String DEFAULT_BRAND = "Dripline Demo";

    /** Reads the settings from environment variables (System.getenv() on AWS). */
    public static Settings from(Map<String, String> env) {
        String port = env.getOrDefault("DRIPLINE_PORT", "8080");
        URI publicUrl = URI.create(stripTrailingSlash(env.getOrDefault("DRIPLINE_PUBLIC_URL", "http://localhost:" + port)));
        List<String> providers = Arrays.stream(env.getOrDefault("DRIPLINE_PROVIDERS", "simulator").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(String::toLowerCase).toList();
        return new Settings(
                env.getOrDefault("DRIPLINE_BRAND", DEFAULT_BRAND),
                publicUrl,
                providers,
                TableNames.from(env),
                env.getOrDefault("DRIPLINE_SEND_QUEUE_URL", ""),
                env.getOrDefault("DRIPLINE_STEPS_QUEUE_URL", ""),
                new SchedulerSettings(env.getOrDefault("DRIPLINE_SCHEDULE_GROUP", "default"),
                        env.getOrDefault("DRIPLINE_STEPS_QUEUE_ARN", ""),
                        env.getOrDefault("DRIPLINE_SCHEDULER_ROLE_ARN", "")),
                new SimulatorSettings(
                        Optional.ofNullable(env.get("DRIPLINE_SIMULATOR_URL")).map(Settings::stripTrailingSlash).map(URI::create),
                        env.getOrDefault("DRIPLINE_SIMULATOR_SECRET", "")),
                Boolean.parseBoolean(env.getOrDefault("DRIPLINE_SMART_ENCODING", "false")),
                env.containsKey("DRIPLINE_PUBLIC_URL"),
                new ReplySettings(Optional.ofNullable(env.get("DRIPLINE_HELP_TEXT")).filter(t -> !t.isBlank()),
                        env.getOrDefault("DRIPLINE_KEYWORDS", "")),
                WebhookSecrets.from(env));
    }

    /**
     * Keyword replies: the HELP text (DRIPLINE_HELP_TEXT; absent: the built-in one with the brand)
     * and the team's own keywords as JSON (DRIPLINE_KEYWORDS, read by {@code KeywordRules}).
     */
    public record ReplySettings(Optional<String> helpText, String keywordsJson) {
    }

    /**
     * Provider webhook credentials. Each is optional: a provider whose credential is absent has
     * its webhooks refused (403), never accepted unverified.
     *
     * @param twilioAuthToken        DRIPLINE_TWILIO_AUTH_TOKEN (X-Twilio-Signature, HMAC-SHA1)
     * @param plivoAuthToken         DRIPLINE_PLIVO_AUTH_TOKEN (X-Plivo-Signature-V3, HMAC-SHA256)
     * @param telnyxPublicKey        DRIPLINE_TELNYX_PUBLIC_KEY (base64 Ed25519 public key)
     * @param vonageSignatureSecret  DRIPLINE_VONAGE_SIGNATURE_SECRET (signed webhooks)
     * @param vonageSignatureMethod  DRIPLINE_VONAGE_SIGNATURE_METHOD: md5hash (default), md5, sha1, sha256, sha512
     * @param awsTopicArns           DRIPLINE_AWS_SNS_TOPIC_ARNS: the SNS topics whose deliveries are accepted
     */
    public record WebhookSecrets(Optional<String> twilioAuthToken, Optional<String> plivoAuthToken,
                                 Optional<String> telnyxPublicKey, Optional<String> vonageSignatureSecret,
                                 String vonageSignatureMethod, List<String> awsTopicArns) {

        static WebhookSecrets from(Map<String, String> env) {
            return new WebhookSecrets(secret(env, "DRIPLINE_TWILIO_AUTH_TOKEN"), secret(env, "DRIPLINE_PLIVO_AUTH_TOKEN"),
                    secret(env, "DRIPLINE_TELNYX_PUBLIC_KEY"), secret(env, "DRIPLINE_VONAGE_SIGNATURE_SECRET"),
                    env.getOrDefault("DRIPLINE_VONAGE_SIGNATURE_METHOD", "md5hash").trim().toLowerCase(java.util.Locale.ROOT),
                    Arrays.stream(env.getOrDefault("DRIPLINE_AWS_SNS_TOPIC_ARNS", "").split(","))
                            .map(String::trim).filter(s -> !s.isEmpty()).toList());
        }

        private static Optional<String> secret(Map<String, String> env, String name) {
            return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Where EventBridge Scheduler puts due work: its schedule group, the steps queue, the role it sends with. */
    public record SchedulerSettings(String group, String stepsQueueArn, String roleArn) {
    }

    /** The simulated carrier: where it takes messages, and the secret its webhooks are signed with. */
    public record SimulatorSettings(Optional<URI> url, String secret) {
    }

    /**
     * DynamoDB table names: DRIPLINE_TABLE_CONTACTS and so on (set by template.yaml), else
     * DRIPLINE_TABLE_PREFIX + the short name (the local runtime and tests).
     */
    public record TableNames(String contacts, String consent, String messages, String idempotency) {

        public static TableNames withPrefix(String prefix) {
            return new TableNames(prefix + "contacts", prefix + "consent", prefix + "messages", prefix + "idempotency");
        }

        static TableNames from(Map<String, String> env) {
            TableNames defaults = withPrefix(env.getOrDefault("DRIPLINE_TABLE_PREFIX", "dripline-"));
            return new TableNames(
                    env.getOrDefault("DRIPLINE_TABLE_CONTACTS", defaults.contacts()),
                    env.getOrDefault("DRIPLINE_TABLE_CONSENT", defaults.consent()),
                    env.getOrDefault("DRIPLINE_TABLE_MESSAGES", defaults.messages()),
                    env.getOrDefault("DRIPLINE_TABLE_IDEMPOTENCY", defaults.idempotency()));
        }
    }
}
