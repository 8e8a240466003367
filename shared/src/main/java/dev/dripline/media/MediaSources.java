package dev.dripline.media;

import dev.dripline.providers.ProviderSettings;
import dev.dripline.webhooks.SimulatorSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where each provider's inbound media may be fetched from, and with what credentials. A media URL
 * is fetched only from its provider's own media hosts (an allow-list), so a forged or odd payload
 * cannot make Dripline fetch from, or send credentials to, anyone else. Credentials go with the
 * provider's URL only, never with a redirect (a CDN's pre-signed URL needs none).
 *
 * <p>The hosts, from each provider's documentation (re-verify when one moves its media):
 * Twilio {@code MediaUrl} on api.twilio.com, redirecting to its CDN (*.twiliocdn.com), HTTP
 * Basic with the account SID and auth token; Plivo {@code Media{n}} on media.plivo.com
 * (api.plivo.com), Basic with the auth id and token; Telnyx {@code media[].url} on its own hosts
 * (*.telnyx.com), bearer API key; Vonage Messages API {@code image.url} on api(-us|-eu|-ap).nexmo.com
 * (*.nexmo.com, *.vonage.com), Basic with the API key and secret (its Media API takes Basic);
 * AWS End User Messaging documents no two-way MMS, so none. The simulated carrier serves media
 * from the runtime's own URL and checks the simulator signature.
 */
public final class MediaSources {

    /**
     * One provider's source of media.
     *
     * @param hosts       allowed hosts: {@code host}, {@code host:port}, or {@code *.domain} (any subdomain)
     * @param plainHttp   whether http:// is allowed (a _BASE_URL stub, the local runtime); https only otherwise
     * @param credentials the headers that authenticate a GET of the provider's own URL; empty map
     *                    when none; null when the provider's credentials are not configured
     */
    public record Source(String provider, List<String> hosts, boolean plainHttp, Function<URI, Map<String, String>> credentials) {

        /** Whether {@code url} is on one of this provider's hosts, over an allowed scheme. */
        public boolean allows(URI url) {
            if (url == null || !url.isAbsolute() || url.getHost() == null || url.getRawUserInfo() != null) {
                return false;
            }
            String scheme = url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !(plainHttp && scheme.equals("http"))) {
                return false;
            }
            String host = url.getHost().toLowerCase(Locale.ROOT);
            int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
            for (String rule : hosts) {
                if (rule.startsWith("*.") ? host.endsWith(rule.substring(1)) && port == 443
                        : rule.contains(":") ? rule.equals(host + ":" + port) : rule.equals(host) && port == 443) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final Map<String, List<String>> HOSTS = Map.of(
            "twilio", List.of("api.twilio.com", "*.twilio.com", "*.twiliocdn.com"),
            "plivo", List.of("media.plivo.com", "api.plivo.com", "*.plivo.com"),
            "telnyx", List.of("api.telnyx.com", "*.telnyx.com"),
            "vonage", List.of("api.nexmo.com", "*.nexmo.com", "*.vonage.com"));

    private final InboundMediaSettings settings;
    private final ProviderSettings providers;
    private final URI publicUrl;
    private final Clock clock;

    /** @param publicUrl the runtime's own URL, where the simulated carrier serves media (null: no simulator media) */
    public MediaSources(InboundMediaSettings settings, ProviderSettings providers, URI publicUrl, Clock clock) {
        this.settings = settings;
        this.providers = providers;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /** The provider's source; empty for a provider that carries no inbound media (aws) or is unknown. */
    public Optional<Source> of(String provider) {
        return switch (provider) {
            case "twilio" -> Optional.of(source(provider, providers.twilio().map(t -> basic(t.accountSid(), t.authToken().reveal()))));
            case "plivo" -> Optional.of(source(provider, providers.plivo().map(p -> basic(p.authId(), p.authToken().reveal()))));
            case "telnyx" -> Optional.of(source(provider, providers.telnyx().map(t -> bearer(t.apiKey().reveal()))));
            case "vonage" -> Optional.of(source(provider, providers.vonage().map(v -> basic(v.apiKey(), v.apiSecret().reveal()))));
            case "simulator" -> simulator();
            default -> Optional.empty();
        };
    }

    private Source source(String provider, Optional<Function<URI, Map<String, String>>> credentials) {
        URI base = settings.baseUrls().get(provider);
        List<String> hosts = new ArrayList<>();
        if (base != null) {
            hosts.add(hostAndPort(base));
        } else {
            hosts.addAll(HOSTS.get(provider));
        }
        hosts.addAll(settings.extraHosts().getOrDefault(provider, List.of()));
        return new Source(provider, List.copyOf(hosts), base != null && "http".equalsIgnoreCase(base.getScheme()),
                credentials.orElse(null));
    }

    private Optional<Source> simulator() {
        String secret = providers.simulator().secret().reveal();
        if (publicUrl == null || secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Source("simulator", List.of(hostAndPort(publicUrl)), "http".equalsIgnoreCase(publicUrl.getScheme()),
                url -> Map.of(SimulatorSignature.HEADER, SimulatorSignature.sign(secret, clock.instant(), url.toString(), ""))));
    }

    private static String hostAndPort(URI u) {
        int port = u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        return u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static Function<URI, Map<String, String>> basic(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return url -> Map.of("Authorization", "Basic " + token);
    }

    private static Function<URI, Map<String, String>> bearer(String key) {
        return url -> Map.of("Authorization", "Bearer " + key);
    }
}
