package dev.dripline.providers;

import dev.dripline.config.Env;
import dev.dripline.config.Secret;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The SMS providers: which to send through (DRIPLINE_PROVIDERS, in failover order, default
 * simulator) and each one's settings, present when every required variable is set.
 *
 * @param names    provider names in failover order, lower case
 * @param missing  for each provider configured only in part (or not at all), the required
 *                 variables that are unset: named in the start-up error when DRIPLINE_PROVIDERS
 *                 asks for that provider
 */
public record ProviderSettings(List<String> names, SimulatorSettings simulator, Optional<TwilioSettings> twilio,
                               Optional<PlivoSettings> plivo, Optional<TelnyxSettings> telnyx, Optional<VonageSettings> vonage,
                               Optional<AwsSmsSettings> aws, Map<String, List<String>> missing) {

    public static final String DEFAULT_SIMULATOR_FROM = "+18335550100";

    /** Every provider this version supports, the one place they are listed, with where its account comes from. */
    private static final Map<String, Function<ProviderSettings, Optional<? extends ProviderAccount>>> SUPPORTED = supported();

    private static Map<String, Function<ProviderSettings, Optional<? extends ProviderAccount>>> supported() {
        Map<String, Function<ProviderSettings, Optional<? extends ProviderAccount>>> m = new LinkedHashMap<>();
        m.put("simulator", s -> s.simulator().account());
        m.put("twilio", ProviderSettings::twilio);
        m.put("plivo", ProviderSettings::plivo);
        m.put("telnyx", ProviderSettings::telnyx);
        m.put("vonage", ProviderSettings::vonage);
        m.put("aws", ProviderSettings::aws);
        return m;
    }

    public static ProviderSettings from(Env env) {
        Map<String, List<String>> missing = new LinkedHashMap<>();
        List<String> names = env.list("DRIPLINE_PROVIDERS", "simulator").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        SimulatorSettings simulator = new SimulatorSettings(env.optionalUrl("DRIPLINE_SIMULATOR_URL"),
                Secret.of(env.string("DRIPLINE_SIMULATOR_SECRET", "")));

        Optional<TwilioSettings> twilio = account(env, missing, "twilio",
                List.of("DRIPLINE_TWILIO_ACCOUNT_SID", "DRIPLINE_TWILIO_AUTH_TOKEN"),
                List.of("DRIPLINE_TWILIO_FROM", "DRIPLINE_TWILIO_MESSAGING_SERVICE_SID"),
                () -> new TwilioSettings(env.orNull("DRIPLINE_TWILIO_ACCOUNT_SID"), env.secret("DRIPLINE_TWILIO_AUTH_TOKEN").orElseThrow(),
                        env.orNull("DRIPLINE_TWILIO_FROM"), env.orNull("DRIPLINE_TWILIO_MESSAGING_SERVICE_SID"),
                        env.url("DRIPLINE_TWILIO_BASE_URL", "https://api.twilio.com")));
        Optional<PlivoSettings> plivo = account(env, missing, "plivo", List.of("DRIPLINE_PLIVO_AUTH_ID", "DRIPLINE_PLIVO_AUTH_TOKEN"),
                List.of("DRIPLINE_PLIVO_FROM", "DRIPLINE_PLIVO_POWERPACK_UUID"),
                () -> new PlivoSettings(env.orNull("DRIPLINE_PLIVO_AUTH_ID"), env.secret("DRIPLINE_PLIVO_AUTH_TOKEN").orElseThrow(),
                        env.orNull("DRIPLINE_PLIVO_FROM"), env.orNull("DRIPLINE_PLIVO_POWERPACK_UUID"),
                        env.url("DRIPLINE_PLIVO_BASE_URL", "https://api.plivo.com")));
        Optional<TelnyxSettings> telnyx = account(env, missing, "telnyx", List.of("DRIPLINE_TELNYX_API_KEY"),
                List.of("DRIPLINE_TELNYX_FROM", "DRIPLINE_TELNYX_MESSAGING_PROFILE_ID"),
                () -> new TelnyxSettings(env.secret("DRIPLINE_TELNYX_API_KEY").orElseThrow(), env.orNull("DRIPLINE_TELNYX_FROM"),
                        env.orNull("DRIPLINE_TELNYX_MESSAGING_PROFILE_ID"), env.url("DRIPLINE_TELNYX_BASE_URL", "https://api.telnyx.com")));
        Optional<VonageSettings> vonage = account(env, missing, "vonage", List.of("DRIPLINE_VONAGE_API_KEY", "DRIPLINE_VONAGE_API_SECRET"),
                List.of("DRIPLINE_VONAGE_FROM"),
                () -> new VonageSettings(env.orNull("DRIPLINE_VONAGE_API_KEY"), env.secret("DRIPLINE_VONAGE_API_SECRET").orElseThrow(),
                        env.orNull("DRIPLINE_VONAGE_FROM"), env.url("DRIPLINE_VONAGE_BASE_URL", "https://rest.nexmo.com")));
        // AWS sends as the function's role: only its origination identity is required.
        Optional<AwsSmsSettings> aws = account(env, missing, "aws", List.of("DRIPLINE_AWS_ORIGINATION_IDENTITY"), List.of(),
                () -> new AwsSmsSettings(env.orNull("DRIPLINE_AWS_ORIGINATION_IDENTITY"), env.optionalUri("DRIPLINE_AWS_ENDPOINT"),
                        env.optional("DRIPLINE_AWS_CONFIGURATION_SET"), region(env)));
        return new ProviderSettings(names, simulator, twilio, plivo, telnyx, vonage, aws, Map.copyOf(missing));
    }

    /** The region AWS clients use: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1. */
    public static String region(Env env) {
        return env.string("AWS_REGION", env.string("AWS_DEFAULT_REGION", "us-east-1"));
    }

    /**
     * Whether any provider is configured to send through: one is named, other than a simulator
     * without its URL (a stack deployed with no provider at all). Credentials are not checked
     * here: only the sender reads them, and its start fails naming what is missing.
     */
    public boolean any() {
        return names.stream().anyMatch(p -> !p.equals("simulator") || simulator.url().isPresent());
    }

    /**
     * Fails naming what is missing when DRIPLINE_PROVIDERS names a provider that is not fully
     * configured (credentials, sender) or not supported; builds nothing.
     */
    public List<ProviderAccount> accounts() {
        List<ProviderAccount> accounts = new ArrayList<>();
        for (String name : names) {
            Function<ProviderSettings, Optional<? extends ProviderAccount>> account = SUPPORTED.get(name);
            if (account == null) {
                throw new IllegalStateException("DRIPLINE_PROVIDERS names '" + name + "', which this version does not support (supported: "
                        + String.join(", ", SUPPORTED.keySet()) + ")");
            }
            accounts.add(account.apply(this).orElseThrow(() -> unconfigured(name)));
        }
        return accounts;
    }

    /** The providers named, in their order, sharing one HTTP client; fails start-up naming what is missing. */
    public List<SmsProvider> connect(Supplier<HttpClient> http, Duration timeout) {
        return accounts().stream().map(a -> a.connect(http, timeout)).toList();
    }

    private IllegalStateException unconfigured(String provider) {
        if (provider.equals("simulator")) {
            return new IllegalStateException("DRIPLINE_PROVIDERS names simulator but DRIPLINE_SIMULATOR_URL is not set");
        }
        List<String> gaps = missing.getOrDefault(provider, List.of());
        return new IllegalStateException("DRIPLINE_PROVIDERS names " + provider + " but " + String.join(", ", gaps)
                + (gaps.size() == 1 ? " is" : " are") + " not set");
    }

    /** Each provider's own configured sender, for providers DRIPLINE_SENDERS does not list. */
    public static Map<String, String> ownSenders(Env env) {
        Map<String, String> from = new LinkedHashMap<>();
        for (String provider : SUPPORTED.keySet()) {
            // AWS names its sender an origination identity; the simulator always has one.
            String variable = provider.equals("aws") ? "DRIPLINE_AWS_ORIGINATION_IDENTITY" : "DRIPLINE_" + provider.toUpperCase(Locale.ROOT) + "_FROM";
            env.optional(variable).or(() -> Optional.ofNullable(provider.equals("simulator") ? DEFAULT_SIMULATOR_FROM : null))
                    .ifPresent(v -> from.put(provider, v));
        }
        return from;
    }

    /**
     * One provider's settings, when its required variables and a sender identity are all set;
     * otherwise what is missing is recorded under its name (credentials first, then the sender).
     */
    private static <T> Optional<T> account(Env env, Map<String, List<String>> missing, String provider, List<String> required,
                                           List<String> senders, Supplier<T> settings) {
        List<String> gaps = required.stream().filter(name -> env.optional(name).isEmpty()).toList();
        if (!gaps.isEmpty()) {
            missing.put(provider, gaps);
        }
        boolean sender = senders.isEmpty() || hasSender(env, missing, provider, senders);
        return gaps.isEmpty() && sender ? Optional.of(settings.get()) : Optional.empty();
    }

    /**
     * Whether a provider has a sender identity: one of {@code variables}, or numbers of its own in
     * DRIPLINE_SENDERS. If not, the gap is recorded under its name as "A or B" (one of them is needed).
     */
    private static boolean hasSender(Env env, Map<String, List<String>> missing, String provider, List<String> variables) {
        if (variables.stream().anyMatch(name -> env.optional(name).isPresent())) {
            return true;
        }
        for (String entry : env.string("DRIPLINE_SENDERS", "").split(";")) {
            if (entry.trim().startsWith(provider + ":")) {
                return true;
            }
        }
        String gap = String.join(" or ", variables) + " (or " + provider + " numbers in DRIPLINE_SENDERS)";
        missing.merge(provider, List.of(gap), (before, added) -> Stream.concat(before.stream(), added.stream()).toList());
        return false;
    }
}
