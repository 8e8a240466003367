package dev.dripline;

import dev.dripline.analytics.AnalyticsSettings;
import dev.dripline.audience.AudienceSettings;
import dev.dripline.auth.KeyLimits;
import dev.dripline.compliance.ComplianceCheck;
import dev.dripline.config.ConfigurationError;
import dev.dripline.config.Env;
import dev.dripline.drip.DripSettings;
import dev.dripline.keywords.ReplySettings;
import dev.dripline.messaging.SenderSettings;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.providers.AwsSmsSettings;
import dev.dripline.providers.PlivoSettings;
import dev.dripline.providers.ProviderSettings;
import dev.dripline.providers.SimulatorSettings;
import dev.dripline.providers.TelnyxSettings;
import dev.dripline.providers.TwilioSettings;
import dev.dripline.providers.VonageSettings;
import dev.dripline.schedule.SchedulerSettings;
import dev.dripline.signup.SignupSettings;
import dev.dripline.verifications.VerificationSettings;
import dev.dripline.webhooks.WebhookSecrets;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything the core reads from its environment, read once through {@link Env} (one reader,
 * one duration rule, secrets as {@link dev.dripline.config.Secret}). Each capability owns its
 * own record and reads its own variables; this record only gathers them. On AWS template.yaml
 * sets these variables; the local runtime sets them for its own engines. Secrets are never defaults.
 *
 * @param brand            brand name put on marketing messages (DRIPLINE_BRAND)
 * @param publicUrl        the base URL providers call back and short links point at (DRIPLINE_PUBLIC_URL;
 *                         default http://localhost:PORT); null on AWS Lambda when unset: the api
 *                         and webhooks functions take it from each request ({@link #requirePublicUrl})
 * @param providerSettings the providers (DRIPLINE_PROVIDERS) and each one's settings
 * @param tables           DynamoDB table names
 * @param sendQueueUrl     the send queue (DRIPLINE_SEND_QUEUE_URL)
 * @param stepsQueueUrl    the steps queue (DRIPLINE_STEPS_QUEUE_URL)
 * @param scheduler        EventBridge Scheduler: group, target queue ARN, role (AWS only)
 * @param smartEncoding    smart encoding for messages that do not say (DRIPLINE_SMART_ENCODING, default false)
 * @param publicUrlConfigured whether DRIPLINE_PUBLIC_URL was set; if not, webhooks take the base
 *                         URL from the request (API Gateway's own domain)
 * @param replies          keyword replies and the team's own keywords (DRIPLINE_HELP_TEXT, DRIPLINE_KEYWORDS)
 * @param webhooks         what provider webhooks are verified with; an absent one refuses its endpoint
 * @param sender           how the sender routes, retries, expires and prices messages
 * @param outboundWebhook  where integrators' events go (DRIPLINE_OUTBOUND_WEBHOOK_URL, _SECRET, _FIRST_RETRY, _MAX_ATTEMPTS)
 * @param audience         suppression salt, imports queue and body limits
 * @param drip             the drip engine's frequency cap and scheduling threshold
 * @param analytics        counter shards and the attribution window
 * @param verification     verification codes: HMAC secret, length, lifetime, limits (DRIPLINE_VERIFY_*)
 * @param apiLimits        requests per API key (DRIPLINE_API_RATE, DRIPLINE_API_BURST)
 * @param compliance       senders' recorded registrations (DRIPLINE_COMPLIANCE_REGISTRATIONS, _ENFORCE_REGISTRATION)
 * @param pinpointExportBucket where Pinpoint exports are read from on AWS (DRIPLINE_PINPOINT_EXPORT_BUCKET; blank: none)
 * @param signup           sign-up pages' countries and abuse limits (DRIPLINE_SIGNUP_*)
 * @param inboundMedia     how inbound MMS media is fetched from providers (DRIPLINE_INBOUND_MEDIA_*)
 * @param topics           consent topics, what a STOP revokes, each number's topic (DRIPLINE_TOPICS, _REVOCATION_SCOPE, _NUMBER_TOPICS)
 * @param media            media and MMS: bucket, fetch URL lifetime, MMS destinations (DRIPLINE_MEDIA_*, DRIPLINE_MMS_*)
 */
public record Settings(
        String brand,
        URI publicUrl,
        ProviderSettings providerSettings,
        TableNames tables,
        String sendQueueUrl,
        String stepsQueueUrl,
        SchedulerSettings scheduler,
        boolean smartEncoding,
        boolean publicUrlConfigured,
        ReplySettings replies,
        WebhookSecrets webhooks,
        SenderSettings sender,
        OutboundWebhooks.Config outboundWebhook,
        AudienceSettings audience,
        DripSettings drip,
        AnalyticsSettings analytics,
        VerificationSettings verification,
        KeyLimits apiLimits,
        ComplianceCheck.Registrations compliance,
        String pinpointExportBucket,
        SignupSettings signup,
        dev.dripline.media.InboundMediaSettings inboundMedia,
        dev.dripline.consent.Topics topics,
        dev.dripline.media.MediaSettings media) {

    public static final String DEFAULT_BRAND = "Dripline Demo";

    /** Reads the settings from environment variables (System.getenv() on AWS). */
    public static Settings from(Map<String, String> variables) {
        Env env = Env.of(variables);
        return new Settings(
                env.string("DRIPLINE_BRAND", DEFAULT_BRAND),
                publicUrl(env),
                ProviderSettings.from(env),
                TableNames.from(env),
                env.string("DRIPLINE_SEND_QUEUE_URL", ""),
                env.string("DRIPLINE_STEPS_QUEUE_URL", ""),
                SchedulerSettings.from(env),
                env.flag("DRIPLINE_SMART_ENCODING", false),
                env.contains("DRIPLINE_PUBLIC_URL"),
                ReplySettings.from(env),
                WebhookSecrets.from(env),
                SenderSettings.from(env),
                OutboundWebhooks.Config.from(env),
                AudienceSettings.from(env),
                DripSettings.from(env),
                AnalyticsSettings.from(env),
                VerificationSettings.from(env),
                KeyLimits.from(env),
                ComplianceCheck.Registrations.from(env),
                env.string("DRIPLINE_PINPOINT_EXPORT_BUCKET", ""),
                SignupSettings.from(env),
                dev.dripline.media.InboundMediaSettings.from(env),
                dev.dripline.consent.Topics.from(env),
                dev.dripline.media.MediaSettings.from(env));
    }

    /**
     * DRIPLINE_PUBLIC_URL, or the local default. Inside AWS Lambda (AWS_LAMBDA_FUNCTION_NAME set)
     * there is no default: a localhost or plain-http URL would put links nobody can open into
     * texts and give providers callbacks they cannot reach, so it is refused.
     */
    private static URI publicUrl(Env env) {
        boolean lambda = env.contains("AWS_LAMBDA_FUNCTION_NAME");
        Optional<URI> set = env.optionalUrl("DRIPLINE_PUBLIC_URL");
        if (set.isEmpty()) {
            return lambda ? null : URI.create("http://localhost:" + env.string("DRIPLINE_PORT", "8080"));
        }
        URI url = set.get();
        if (lambda) {
            String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
            if (!"https".equals(url.getScheme()) || host.isEmpty() || host.equals("localhost") || host.startsWith("127.")
                    || host.equals("0.0.0.0") || host.equals("[::1]")) {
                throw new ConfigurationError("DRIPLINE_PUBLIC_URL", "DRIPLINE_PUBLIC_URL is " + env.orNull("DRIPLINE_PUBLIC_URL")
                        + ", which texts' links and providers cannot reach: set the PublicUrl parameter to an https URL (a custom"
                        + " domain), or leave it empty for the API's own URL");
            }
        }
        return url;
    }

    /**
     * Whether any provider is configured to send through: DRIPLINE_PROVIDERS names one, other than
     * a simulator without its URL (a stack deployed with no provider at all).
     */
    public boolean hasProvider() {
        return providerSettings.any();
    }

    /**
     * The public URL for a function that has no request to take it from (the sender's status
     * callbacks, the steps function's short links); refuses the start without one.
     */
    public URI requirePublicUrl(String function) {
        if (publicUrl == null) {
            throw new IllegalStateException("DRIPLINE_PUBLIC_URL is not set: the " + function + " function needs it (status callbacks and"
                    + " short links); template.yaml sets it to PublicUrl or the API's execute-api URL");
        }
        return publicUrl;
    }

    /** Provider names in failover order (DRIPLINE_PROVIDERS). */
    public List<String> providers() {
        return providerSettings.names();
    }

    public SimulatorSettings simulator() {
        return providerSettings.simulator();
    }

    public Optional<TwilioSettings> twilio() {
        return providerSettings.twilio();
    }

    public Optional<PlivoSettings> plivo() {
        return providerSettings.plivo();
    }

    public Optional<TelnyxSettings> telnyx() {
        return providerSettings.telnyx();
    }

    public Optional<VonageSettings> vonage() {
        return providerSettings.vonage();
    }

    public Optional<AwsSmsSettings> aws() {
        return providerSettings.aws();
    }

    /** For each provider configured only in part, the required variables that are unset. */
    public Map<String, List<String>> missingProviderVariables() {
        return providerSettings.missing();
    }

    /**
     * DynamoDB table names: DRIPLINE_TABLE_CONTACTS and so on (set by template.yaml), else
     * DRIPLINE_TABLE_PREFIX + the short name (the local runtime and tests).
     */
    public record TableNames(String contacts, String consent, String messages, String idempotency, String audience, String senders,
                             String links, String campaigns, String journeys, String counters, String apiKeys,
                             String verifications, String webhooks, String keywords) {

        public static TableNames withPrefix(String prefix) {
            return named(name -> prefix + name);
        }

        static TableNames from(Env env) {
            String prefix = env.string("DRIPLINE_TABLE_PREFIX", "dripline-");
            return named(name -> env.string("DRIPLINE_TABLE_" + name.toUpperCase(Locale.ROOT), prefix + name));
        }

        /** Each table by its short name (contacts, ..., apikeys: DRIPLINE_TABLE_APIKEYS). */
        private static TableNames named(UnaryOperator<String> table) {
            return new TableNames(table.apply("contacts"), table.apply("consent"), table.apply("messages"), table.apply("idempotency"),
                    table.apply("audience"), table.apply("senders"), table.apply("links"), table.apply("campaigns"),
                    table.apply("journeys"), table.apply("counters"), table.apply("apikeys"), table.apply("verifications"),
                    table.apply("webhooks"), table.apply("keywords"));
        }
    }
}
