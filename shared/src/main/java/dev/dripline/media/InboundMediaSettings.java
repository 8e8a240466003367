package dev.dripline.media;

import dev.dripline.config.ConfigurationError;
import dev.dripline.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How inbound MMS media is fetched from providers.
 *
 * @param maxBytes    the largest media file kept (DRIPLINE_INBOUND_MEDIA_MAX_BYTES, default 5 MB,
 *                    the most Twilio and Plivo carry in one MMS); a larger one is refused, the message kept
 * @param timeout     one fetch's time limit, connection to last byte (DRIPLINE_INBOUND_MEDIA_TIMEOUT, default PT20S)
 * @param maxAttempts fetches tried before a media entry is marked failed (DRIPLINE_INBOUND_MEDIA_ATTEMPTS, default 5)
 * @param extraHosts  hosts added to a provider's allow-list (DRIPLINE_INBOUND_MEDIA_HOSTS, {@code provider:host,...},
 *                    {@code *.example.com} for subdomains), for a provider that moves its media
 * @param baseUrls    each provider's DRIPLINE_{PROVIDER}_BASE_URL when set: media is then fetched
 *                    from that host only (tests and stubs), over http too
 */
public record InboundMediaSettings(long maxBytes, Duration timeout, int maxAttempts, Map<String, List<String>> extraHosts,
                                   Map<String, URI> baseUrls) {

    public static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;

    public static InboundMediaSettings from(Env env) {
        long max = env.integer("DRIPLINE_INBOUND_MEDIA_MAX_BYTES", (int) DEFAULT_MAX_BYTES, 1024, 100 * 1024 * 1024);
        Duration timeout = env.duration("DRIPLINE_INBOUND_MEDIA_TIMEOUT", Duration.ofSeconds(20));
        int attempts = env.integer("DRIPLINE_INBOUND_MEDIA_ATTEMPTS", 5, 1, 20);
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (String entry : env.list("DRIPLINE_INBOUND_MEDIA_HOSTS", "")) {
            int colon = entry.indexOf(':');
            if (colon < 1 || colon == entry.length() - 1) {
                throw new ConfigurationError("DRIPLINE_INBOUND_MEDIA_HOSTS",
                        "DRIPLINE_INBOUND_MEDIA_HOSTS entry '" + entry + "' must be provider:host (twilio:media.example.com)");
            }
            extra.computeIfAbsent(entry.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                    .add(entry.substring(colon + 1).trim().toLowerCase(Locale.ROOT));
        }
        Map<String, URI> bases = new LinkedHashMap<>();
        for (String provider : List.of("twilio", "plivo", "telnyx", "vonage")) {
            env.optionalUrl("DRIPLINE_" + provider.toUpperCase(Locale.ROOT) + "_BASE_URL").ifPresent(u -> bases.put(provider, u));
        }
        return new InboundMediaSettings(max, timeout, attempts, Map.copyOf(extra), Map.copyOf(bases));
    }

    /** The defaults, nothing extra (tests). */
    public static InboundMediaSettings defaults() {
        return new InboundMediaSettings(DEFAULT_MAX_BYTES, Duration.ofSeconds(20), 5, Map.of(), Map.of());
    }
}
