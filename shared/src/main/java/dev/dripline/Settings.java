package dev.dripline;

import dev.dripline.auth.KeyLimits;
import dev.dripline.messaging.CircuitBreakers;
import dev.dripline.messaging.PriceTable;
import dev.dripline.messaging.Routes;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.messaging.SenderNumbers;
import dev.dripline.verifications.VerificationSettings;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the core reads from its environment, read once. On AWS template.yaml sets these
 * variables; the local runtime sets them for its own engines. Secrets are never defaults.
 *
 * @param brand            brand name put on marketing messages (DRIPLINE_BRAND)
 * @param publicUrl        the base URL providers call back and short links point at (DRIPLINE_PUBLIC_URL;
 *                         default http://localhost:PORT); null on AWS Lambda when unset: the api
 *                         and webhooks functions take it from each request ({@link #requirePublicUrl})
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
 * @param sender           how the sender routes, retries, expires and prices messages
 * @param twilio           Twilio's credentials, present when every required variable is set
 * @param plivo            Plivo's, likewise
 * @param telnyx           Telnyx's, likewise
 * @param vonage           Vonage's, likewise
 * @param aws              AWS End User Messaging SMS, present when its origination identity is set
 * @param audience         suppression salt, imports queue and body limits
 * @param missingProviderVariables for each provider configured only in part (or not at all), the
 *                         required variables that are unset: named in the start-up error when
 *                         DRIPLINE_PROVIDERS asks for that provider
 * @param outboundWebhook  where integrators' events go (DRIPLINE_OUTBOUND_WEBHOOK_URL, _SECRET, _FIRST_RETRY, _MAX_ATTEMPTS)
 * @param drip             the drip engine's frequency cap and scheduling threshold
 * @param verification     verification codes: HMAC secret, length, lifetime, limits (DRIPLINE_VERIFY_*)
 * @param apiLimits        requests per API key (DRIPLINE_API_RATE, DRIPLINE_API_BURST)
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
        WebhookSecrets webhooks,
        SenderSettings sender,
        Optional<TwilioSettings> twilio,
        Optional<PlivoSettings> plivo,
        Optional<TelnyxSettings> telnyx,
        Optional<VonageSettings> vonage,
        Optional<AwsSmsSettings> aws,
        Map<String, List<String>> missingProviderVariables,
        OutboundWebhooks.Config outboundWebhook,
        AudienceSettings audience,
        DripSettings drip,
        AnalyticsSettings analytics,
        VerificationSettings verification,
        KeyLimits apiLimits) {

    public static final String DEFAULT_BRAND = "Dripline Demo";

    /** Reads the settings from environment variables (System.getenv() on AWS). */
    public static Settings from(Map<String, String> env) {
        URI publicUrl = publicUrl(env);
        List<String> providers = Arrays.stream(env.getOrDefault("DRIPLINE_PROVIDERS", "simulator").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(String::toLowerCase).toList();
        Map<String, List<String>> missing = new LinkedHashMap<>();
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
                WebhookSecrets.from(env),
                SenderSettings.from(env),
                TwilioSettings.from(env, missing),
                PlivoSettings.from(env, missing),
                TelnyxSettings.from(env, missing),
                VonageSettings.from(env, missing),
                AwsSmsSettings.from(env, missing),
                Map.copyOf(missing),
                OutboundWebhooks.Config.from(env),
                AudienceSettings.from(env),
                DripSettings.from(env),
                AnalyticsSettings.from(env),
                VerificationSettings.from(env),
                KeyLimits.from(env));
    }

    /**
     * DRIPLINE_PUBLIC_URL, or the local default. Inside AWS Lambda (AWS_LAMBDA_FUNCTION_NAME set)
     * there is no default: a localhost or plain-http URL would put links nobody can open into
     * texts and give providers callbacks they cannot reach, so it is refused.
     */
    private static URI publicUrl(Map<String, String> env) {
        String value = env.get("DRIPLINE_PUBLIC_URL");
        boolean lambda = env.containsKey("AWS_LAMBDA_FUNCTION_NAME");
        if (value == null || value.isBlank()) {
            return lambda ? null : URI.create("http://localhost:" + env.getOrDefault("DRIPLINE_PORT", "8080"));
        }
        URI url;
        try {
            url = URI.create(stripTrailingSlash(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DRIPLINE_PUBLIC_URL is not a URL: '" + value + "'");
        }
        if (lambda) {
            String host = url.getHost() == null ? "" : url.getHost().toLowerCase(java.util.Locale.ROOT);
            if (!"https".equals(url.getScheme()) || host.isEmpty() || host.equals("localhost") || host.startsWith("127.")
                    || host.equals("0.0.0.0") || host.equals("[::1]")) {
                throw new IllegalArgumentException("DRIPLINE_PUBLIC_URL is " + value + ", which texts' links and providers cannot reach:"
                        + " set the PublicUrl parameter to an https URL (a custom domain), or leave it empty for the API's own URL");
            }
        }
        return url;
    }

    /**
     * Whether any provider is configured to send through: DRIPLINE_PROVIDERS names one, other than
     * a simulator without its URL (a stack deployed with no provider at all). Credentials are not
     * checked here: only the sender reads them, and its start fails naming what is missing.
     */
    public boolean hasProvider() {
        return providers.stream().anyMatch(p -> !p.equals("simulator") || simulator.url().isPresent());
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

    /**
     * Campaign analytics: how many shards each campaign's and each day's counters are spread over
     * (DRIPLINE_COUNTER_SHARDS; raise it, never lower it: reads sum shards 0..n-1), and how long
     * after an outbound message a reply or an opt-out is still credited to its campaign
     * (DRIPLINE_ATTRIBUTION_WINDOW, ISO-8601).
     */
    public record AnalyticsSettings(int counterShards, Duration attributionWindow) {

        public static final int DEFAULT_SHARDS = 8;
        public static final Duration DEFAULT_ATTRIBUTION_WINDOW = Duration.ofDays(7);

        static AnalyticsSettings from(Map<String, String> env) {
            int shards = Integer.parseInt(env.getOrDefault("DRIPLINE_COUNTER_SHARDS", Integer.toString(DEFAULT_SHARDS)).trim());
            if (shards < 1 || shards > 100) {
                throw new IllegalArgumentException("DRIPLINE_COUNTER_SHARDS must be between 1 and 100, not " + shards);
            }
            String window = env.get("DRIPLINE_ATTRIBUTION_WINDOW");
            Duration attribution = window == null || window.isBlank() ? DEFAULT_ATTRIBUTION_WINDOW
                    : window.trim().toUpperCase(java.util.Locale.ROOT).contains("T") ? Duration.parse(window.trim())
                    : Duration.ofDays(java.time.Period.parse(window.trim()).getDays());
            if (attribution.isNegative() || attribution.isZero()) {
                throw new IllegalArgumentException("DRIPLINE_ATTRIBUTION_WINDOW must be a positive ISO-8601 duration such as P7D, not '"
                        + window + "'");
            }
            return new AnalyticsSettings(shards, attribution);
        }
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

        @Override
        public String toString() {
            return "WebhookSecrets[twilioAuthToken=" + twilioAuthToken.map(Settings::masked) + ", plivoAuthToken="
                    + plivoAuthToken.map(Settings::masked) + ", telnyxPublicKey=" + telnyxPublicKey + ", vonageSignatureSecret="
                    + vonageSignatureSecret.map(Settings::masked) + ", vonageSignatureMethod=" + vonageSignatureMethod
                    + ", awsTopicArns=" + awsTopicArns + "]";
        }
    }

    /** The required variables of one provider that are unset or blank; recorded under its name. */
    private static boolean complete(Map<String, String> env, Map<String, List<String>> missing, String provider, String... required) {
        List<String> gaps = new ArrayList<>();
        for (String name : required) {
            if (env.getOrDefault(name, "").isBlank()) {
                gaps.add(name);
            }
        }
        if (!gaps.isEmpty()) {
            missing.put(provider, List.copyOf(gaps));
        }
        return gaps.isEmpty();
    }

    /**
     * Whether a provider has a sender identity: one of {@code variables}, or numbers of its own in
     * DRIPLINE_SENDERS. If not, the gap is recorded under its name as "A or B" (one of them is needed).
     */
    private static boolean hasSender(Map<String, String> env, Map<String, List<String>> missing, String provider, String... variables) {
        for (String name : variables) {
            if (!env.getOrDefault(name, "").isBlank()) {
                return true;
            }
        }
        for (String entry : env.getOrDefault("DRIPLINE_SENDERS", "").split(";")) {
            if (entry.trim().startsWith(provider + ":")) {
                return true;
            }
        }
        String gap = String.join(" or ", variables) + " (or " + provider + " numbers in DRIPLINE_SENDERS)";
        missing.merge(provider, List.of(gap), (before, added) -> java.util.stream.Stream.concat(before.stream(), added.stream()).toList());
        return false;
    }

    private static URI urlOf(Map<String, String> env, String variable, String defaultUrl) {
        return URI.create(stripTrailingSlash(env.getOrDefault(variable, defaultUrl)));
    }

    private static String optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(value.trim());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive ISO-8601 duration such as PT24H, not '" + value + "'");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT24H, not '" + value + "'");
        }
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number of at least 1, not '" + value + "'");
    }

    private static String masked(String secret) {
        return secret == null ? "null" : "****";
    }

    /**
     * How the sender treats messages.
     *
     * @param validity          a message older than this when the sender gets it is expired, not
     *                          sent (DRIPLINE_SEND_VALIDITY, ISO-8601, default PT24H)
     * @param maxAttempts       rounds of provider calls before a message fails as
     *                          retries_exhausted (DRIPLINE_SEND_MAX_ATTEMPTS, default 8)
     * @param routes            providers per destination country (DRIPLINE_ROUTES)
     * @param prices            price per part per provider and country (DRIPLINE_PRICES)
     * @param breakerFailures   consecutive failures that open a provider's circuit breaker
     *                          (DRIPLINE_BREAKER_FAILURES, default 5)
     * @param breakerCoolDown   how long an open breaker skips its provider (DRIPLINE_BREAKER_COOL_DOWN, default PT30S)
     * @param providerTimeout   how long a provider call may take before its outcome is unknown
     *                          (DRIPLINE_PROVIDER_TIMEOUT, default PT10S)
     * @param numbers           sender numbers per provider, their throughput and the accounts' caps
     *                          (DRIPLINE_SENDERS, DRIPLINE_ACCOUNT_RATES, DRIPLINE_SIMULATOR_RATE)
     * @param bodyRetention     how long message items (and so their bodies) are kept: DynamoDB TTL
     *                          removes the whole item after this (DRIPLINE_BODY_RETENTION, ISO-8601, default P90D)
     */
    public record SenderSettings(Duration validity, int maxAttempts, Routes routes, PriceTable prices,
                                 int breakerFailures, Duration breakerCoolDown, Duration providerTimeout,
                                 SenderNumbers numbers, Duration bodyRetention) {

        public static final Duration DEFAULT_BODY_RETENTION = Duration.ofDays(90);
        public static final double DEFAULT_SIMULATOR_RATE = 1000;
        public static final String DEFAULT_SIMULATOR_FROM = "+18335550100";

        public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);
        public static final int DEFAULT_MAX_ATTEMPTS = 8;

        static SenderSettings from(Map<String, String> env) {
            return new SenderSettings(
                    duration(env, "DRIPLINE_SEND_VALIDITY", DEFAULT_VALIDITY),
                    positive(env, "DRIPLINE_SEND_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS),
                    Routes.parse(env.get("DRIPLINE_ROUTES")),
                    PriceTable.parse(env.get("DRIPLINE_PRICES")),
                    positive(env, "DRIPLINE_BREAKER_FAILURES", CircuitBreakers.DEFAULT_FAILURES),
                    duration(env, "DRIPLINE_BREAKER_COOL_DOWN", CircuitBreakers.DEFAULT_COOL_DOWN),
                    duration(env, "DRIPLINE_PROVIDER_TIMEOUT", Duration.ofSeconds(10)),
                    SenderNumbers.parse(env.get("DRIPLINE_SENDERS"), env.get("DRIPLINE_ACCOUNT_RATES"), ownSenders(env),
                            SenderNumbers.parseRate("DRIPLINE_SIMULATOR_RATE", env.get("DRIPLINE_SIMULATOR_RATE"), DEFAULT_SIMULATOR_RATE)),
                    retention(env));
        }

        /** Each provider's own configured sender, for providers DRIPLINE_SENDERS does not list. */
        private static Map<String, String> ownSenders(Map<String, String> env) {
            Map<String, String> from = new LinkedHashMap<>();
            from.put("simulator", env.getOrDefault("DRIPLINE_SIMULATOR_FROM", DEFAULT_SIMULATOR_FROM));
            for (String provider : List.of("twilio", "plivo", "telnyx", "vonage")) {
                String value = env.get("DRIPLINE_" + provider.toUpperCase(java.util.Locale.ROOT) + "_FROM");
                if (value != null && !value.isBlank()) {
                    from.put(provider, value.trim());
                }
            }
            String aws = env.get("DRIPLINE_AWS_ORIGINATION_IDENTITY");
            if (aws != null && !aws.isBlank()) {
                from.put("aws", aws.trim());
            }
            return from;
        }

        private static Duration retention(Map<String, String> env) {
            String value = env.get("DRIPLINE_BODY_RETENTION");
            if (value == null || value.isBlank()) {
                return DEFAULT_BODY_RETENTION;
            }
            try {
                String v = value.trim();
                java.time.Period p = v.contains("T") ? null : java.time.Period.parse(v);
                // A period's years and months count as 365 and 30 days: TTL needs a fixed length.
                Duration d = p == null ? Duration.parse(v) : Duration.ofDays(p.getYears() * 365L + p.getMonths() * 30L + p.getDays());
                if (d.isNegative() || d.isZero()) {
                    throw new DateTimeParseException("not positive", value, 0);
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("DRIPLINE_BODY_RETENTION must be a positive ISO-8601 period such as P90D or PT12H, not '"
                        + value + "'");
            }
        }
    }

    /**
     * Twilio: DRIPLINE_TWILIO_ACCOUNT_SID, _AUTH_TOKEN (required), and a sender: _FROM (a number or
     * sender ID) or _MESSAGING_SERVICE_SID (MG..., Twilio picks the number from the service's pool;
     * with both, From names the number within the service), or numbers listed for twilio in
     * DRIPLINE_SENDERS; _BASE_URL (default https://api.twilio.com).
     */
    public record TwilioSettings(String accountSid, String authToken, String from, String messagingServiceSid, URI baseUrl) {

        public TwilioSettings(String accountSid, String authToken, String from, URI baseUrl) {
            this(accountSid, authToken, from, null, baseUrl);
        }

        static Optional<TwilioSettings> from(Map<String, String> env, Map<String, List<String>> missing) {
            boolean credentials = complete(env, missing, "twilio", "DRIPLINE_TWILIO_ACCOUNT_SID", "DRIPLINE_TWILIO_AUTH_TOKEN");
            if (!hasSender(env, missing, "twilio", "DRIPLINE_TWILIO_FROM", "DRIPLINE_TWILIO_MESSAGING_SERVICE_SID") || !credentials) {
                return Optional.empty();
            }
            return Optional.of(new TwilioSettings(env.get("DRIPLINE_TWILIO_ACCOUNT_SID").trim(), env.get("DRIPLINE_TWILIO_AUTH_TOKEN").trim(),
                    optional(env, "DRIPLINE_TWILIO_FROM"), optional(env, "DRIPLINE_TWILIO_MESSAGING_SERVICE_SID"),
                    urlOf(env, "DRIPLINE_TWILIO_BASE_URL", "https://api.twilio.com")));
        }

        @Override
        public String toString() {
            return "TwilioSettings[accountSid=" + accountSid + ", authToken=" + masked(authToken) + ", from=" + from
                    + ", messagingServiceSid=" + messagingServiceSid + ", baseUrl=" + baseUrl + "]";
        }
    }

    /**
     * Plivo: DRIPLINE_PLIVO_AUTH_ID, _AUTH_TOKEN (required), and a sender: _FROM, or
     * _POWERPACK_UUID (Plivo picks the number from the Powerpack), or numbers listed for plivo in
     * DRIPLINE_SENDERS; _BASE_URL (default https://api.plivo.com).
     */
    public record PlivoSettings(String authId, String authToken, String from, String powerpackUuid, URI baseUrl) {

        public PlivoSettings(String authId, String authToken, String from, URI baseUrl) {
            this(authId, authToken, from, null, baseUrl);
        }

        static Optional<PlivoSettings> from(Map<String, String> env, Map<String, List<String>> missing) {
            boolean credentials = complete(env, missing, "plivo", "DRIPLINE_PLIVO_AUTH_ID", "DRIPLINE_PLIVO_AUTH_TOKEN");
            if (!hasSender(env, missing, "plivo", "DRIPLINE_PLIVO_FROM", "DRIPLINE_PLIVO_POWERPACK_UUID") || !credentials) {
                return Optional.empty();
            }
            return Optional.of(new PlivoSettings(env.get("DRIPLINE_PLIVO_AUTH_ID").trim(), env.get("DRIPLINE_PLIVO_AUTH_TOKEN").trim(),
                    optional(env, "DRIPLINE_PLIVO_FROM"), optional(env, "DRIPLINE_PLIVO_POWERPACK_UUID"),
                    urlOf(env, "DRIPLINE_PLIVO_BASE_URL", "https://api.plivo.com")));
        }

        @Override
        public String toString() {
            return "PlivoSettings[authId=" + authId + ", authToken=" + masked(authToken) + ", from=" + from + ", powerpackUuid="
                    + powerpackUuid + ", baseUrl=" + baseUrl + "]";
        }
    }

    /**
     * Telnyx: DRIPLINE_TELNYX_API_KEY (required to send), a sender: _FROM, or
     * _MESSAGING_PROFILE_ID alone (Telnyx picks the number from the profile's pool), or numbers
     * listed for telnyx in DRIPLINE_SENDERS; _PUBLIC_KEY (webhook signatures, optional here),
     * _BASE_URL (default https://api.telnyx.com).
     */
    public record TelnyxSettings(String apiKey, String publicKey, String from, String messagingProfileId, URI baseUrl) {

        static Optional<TelnyxSettings> from(Map<String, String> env, Map<String, List<String>> missing) {
            boolean credentials = complete(env, missing, "telnyx", "DRIPLINE_TELNYX_API_KEY");
            if (!hasSender(env, missing, "telnyx", "DRIPLINE_TELNYX_FROM", "DRIPLINE_TELNYX_MESSAGING_PROFILE_ID") || !credentials) {
                return Optional.empty();
            }
            return Optional.of(new TelnyxSettings(env.get("DRIPLINE_TELNYX_API_KEY").trim(), optional(env, "DRIPLINE_TELNYX_PUBLIC_KEY"),
                    optional(env, "DRIPLINE_TELNYX_FROM"), optional(env, "DRIPLINE_TELNYX_MESSAGING_PROFILE_ID"),
                    urlOf(env, "DRIPLINE_TELNYX_BASE_URL", "https://api.telnyx.com")));
        }

        @Override
        public String toString() {
            return "TelnyxSettings[apiKey=" + masked(apiKey) + ", from=" + from + ", messagingProfileId=" + messagingProfileId
                    + ", baseUrl=" + baseUrl + "]";
        }
    }

    /**
     * Vonage SMS API: DRIPLINE_VONAGE_API_KEY, _API_SECRET (required to send), a sender: _FROM (a
     * number or alphanumeric sender ID) or numbers listed for vonage in DRIPLINE_SENDERS,
     * _SIGNATURE_SECRET (webhook signatures, optional here), _BASE_URL (default https://rest.nexmo.com).
     */
    public record VonageSettings(String apiKey, String apiSecret, String signatureSecret, String from, URI baseUrl) {

        static Optional<VonageSettings> from(Map<String, String> env, Map<String, List<String>> missing) {
            boolean credentials = complete(env, missing, "vonage", "DRIPLINE_VONAGE_API_KEY", "DRIPLINE_VONAGE_API_SECRET");
            if (!hasSender(env, missing, "vonage", "DRIPLINE_VONAGE_FROM") || !credentials) {
                return Optional.empty();
            }
            return Optional.of(new VonageSettings(env.get("DRIPLINE_VONAGE_API_KEY").trim(), env.get("DRIPLINE_VONAGE_API_SECRET").trim(),
                    optional(env, "DRIPLINE_VONAGE_SIGNATURE_SECRET"), optional(env, "DRIPLINE_VONAGE_FROM"),
                    urlOf(env, "DRIPLINE_VONAGE_BASE_URL", "https://rest.nexmo.com")));
        }

        @Override
        public String toString() {
            return "VonageSettings[apiKey=" + apiKey + ", apiSecret=" + masked(apiSecret) + ", signatureSecret=" + masked(signatureSecret)
                    + ", from=" + from + ", baseUrl=" + baseUrl + "]";
        }
    }

    /**
     * AWS End User Messaging SMS: DRIPLINE_AWS_ORIGINATION_IDENTITY (required: a phone number,
     * sender ID, pool or their ARN), DRIPLINE_AWS_ENDPOINT (optional endpoint override),
     * DRIPLINE_AWS_CONFIGURATION_SET (optional: where delivery events go), AWS_REGION. Credentials
     * are the function role's.
     */
    public record AwsSmsSettings(String originationIdentity, Optional<URI> endpoint, Optional<String> configurationSet, String region) {

        static Optional<AwsSmsSettings> from(Map<String, String> env, Map<String, List<String>> missing) {
            if (!complete(env, missing, "aws", "DRIPLINE_AWS_ORIGINATION_IDENTITY")) {
                return Optional.empty();
            }
            return Optional.of(new AwsSmsSettings(env.get("DRIPLINE_AWS_ORIGINATION_IDENTITY").trim(),
                    Optional.ofNullable(optional(env, "DRIPLINE_AWS_ENDPOINT")).map(URI::create),
                    Optional.ofNullable(optional(env, "DRIPLINE_AWS_CONFIGURATION_SET")),
                    env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"))));
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Contacts at scale: erasure, imports.
     *
     * @param suppressionSalt  DRIPLINE_SUPPRESSION_SALT: the secret key of the HMAC-SHA256 that
     *                         keeps an erased number only as a hash on the suppression list; absent,
     *                         erasure is refused (409) and nothing is ever found suppressed
     * @param importsQueueUrl  DRIPLINE_IMPORTS_QUEUE_URL: where CSV imports are queued in chunks of rows
     * @param importMaxBytes   DRIPLINE_IMPORT_MAX_BYTES: the largest CSV body accepted (default 50 MB)
     * @param requestMaxBytes  DRIPLINE_REQUEST_MAX_BYTES: the largest body of every other route (default 64 KB)
     */
    public record AudienceSettings(Optional<String> suppressionSalt, String importsQueueUrl, long importMaxBytes,
                                   long requestMaxBytes) {

        public static final long DEFAULT_IMPORT_MAX_BYTES = 50L * 1024 * 1024;
        public static final long DEFAULT_REQUEST_MAX_BYTES = 64L * 1024;

        static AudienceSettings from(Map<String, String> env) {
            return new AudienceSettings(Optional.ofNullable(optional(env, "DRIPLINE_SUPPRESSION_SALT")),
                    env.getOrDefault("DRIPLINE_IMPORTS_QUEUE_URL", ""),
                    positive(env, "DRIPLINE_IMPORT_MAX_BYTES", (int) DEFAULT_IMPORT_MAX_BYTES),
                    positive(env, "DRIPLINE_REQUEST_MAX_BYTES", (int) DEFAULT_REQUEST_MAX_BYTES));
        }

        @Override
        public String toString() {
            return "AudienceSettings[suppressionSalt=" + suppressionSalt.map(Settings::masked) + ", importsQueueUrl="
                    + importsQueueUrl + ", importMaxBytes=" + importMaxBytes + ", requestMaxBytes=" + requestMaxBytes + "]";
        }
    }

    /** Where EventBridge Scheduler puts due work: its schedule group, the steps queue, the role it sends with. */
    public record SchedulerSettings(String group, String stepsQueueArn, String roleArn) {
    }

    /**
     * The drip engine's knobs.
     *
     * @param frequencyCap marketing messages one contact may get per local day, across every
     *                     campaign and broadcast (DRIPLINE_FREQUENCY_CAP, default 3)
     * @param queueDelayUpTo waits up to this long ride on the steps queue's delivery delay
     *                     instead of a schedule (DRIPLINE_QUEUE_DELAY_UP_TO, default PT15M, at
     *                     most SQS's 15 minutes; the local runtime uses zero: its clock moves)
     */
    public record DripSettings(int frequencyCap, java.time.Duration queueDelayUpTo) {
        public static DripSettings from(Map<String, String> env) {
            int cap = Integer.parseInt(env.getOrDefault("DRIPLINE_FREQUENCY_CAP", "3").trim());
            if (cap < 1) {
                throw new IllegalArgumentException("DRIPLINE_FREQUENCY_CAP must be 1 or more, not " + cap);
            }
            return new DripSettings(cap, java.time.Duration.parse(env.getOrDefault("DRIPLINE_QUEUE_DELAY_UP_TO", "PT15M").trim()));
        }
    }


    /** The simulated carrier: where it takes messages, and the secret its webhooks are signed with. */
    public record SimulatorSettings(Optional<URI> url, String secret) {
        @Override
        public String toString() {
            return "SimulatorSettings[url=" + url + ", secret=" + masked(secret) + "]";
        }
    }

    /**
     * DynamoDB table names: DRIPLINE_TABLE_CONTACTS and so on (set by template.yaml), else
     * DRIPLINE_TABLE_PREFIX + the short name (the local runtime and tests).
     */
    public record TableNames(String contacts, String consent, String messages, String idempotency, String audience, String senders,
                             String links, String campaigns, String journeys, String counters, String apiKeys,
                             String verifications, String webhooks, String keywords) {

        public static TableNames withPrefix(String prefix) {
            return new TableNames(prefix + "contacts", prefix + "consent", prefix + "messages", prefix + "idempotency",
                    prefix + "audience", prefix + "senders", prefix + "links", prefix + "campaigns", prefix + "journeys",
                    prefix + "counters", prefix + "apikeys", prefix + "verifications", prefix + "webhooks",
                    prefix + "keywords");
        }

        static TableNames from(Map<String, String> env) {
            TableNames defaults = withPrefix(env.getOrDefault("DRIPLINE_TABLE_PREFIX", "dripline-"));
            return new TableNames(
                    env.getOrDefault("DRIPLINE_TABLE_CONTACTS", defaults.contacts()),
                    env.getOrDefault("DRIPLINE_TABLE_CONSENT", defaults.consent()),
                    env.getOrDefault("DRIPLINE_TABLE_MESSAGES", defaults.messages()),
                    env.getOrDefault("DRIPLINE_TABLE_IDEMPOTENCY", defaults.idempotency()),
                    env.getOrDefault("DRIPLINE_TABLE_AUDIENCE", defaults.audience()),
                    env.getOrDefault("DRIPLINE_TABLE_SENDERS", defaults.senders()),
                    env.getOrDefault("DRIPLINE_TABLE_LINKS", defaults.links()),
                    env.getOrDefault("DRIPLINE_TABLE_CAMPAIGNS", defaults.campaigns()),
                    env.getOrDefault("DRIPLINE_TABLE_JOURNEYS", defaults.journeys()),
                    env.getOrDefault("DRIPLINE_TABLE_COUNTERS", defaults.counters()),
                    env.getOrDefault("DRIPLINE_TABLE_APIKEYS", defaults.apiKeys()),
                    env.getOrDefault("DRIPLINE_TABLE_VERIFICATIONS", defaults.verifications()),
                    env.getOrDefault("DRIPLINE_TABLE_WEBHOOKS", defaults.webhooks()),
                    env.getOrDefault("DRIPLINE_TABLE_KEYWORDS", defaults.keywords()));
        }
    }
}
