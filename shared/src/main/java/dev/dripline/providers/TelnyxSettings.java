package dev.dripline.providers;

import dev.dripline.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Telnyx: DRIPLINE_TELNYX_API_KEY (required to send), a sender: _FROM, or _MESSAGING_PROFILE_ID
 * alone (Telnyx picks the number from the profile's pool), or numbers listed for telnyx in
 * DRIPLINE_SENDERS; _BASE_URL (default https://api.telnyx.com). The webhook key
 * (DRIPLINE_TELNYX_PUBLIC_KEY) is the webhooks' setting, not the sender's.
 */
public record TelnyxSettings(Secret apiKey, String from, String messagingProfileId, URI baseUrl) implements ProviderAccount {

    public TelnyxSettings(String apiKey, String from, String messagingProfileId, URI baseUrl) {
        this(Secret.of(apiKey), from, messagingProfileId, baseUrl);
    }

    @Override
    public SmsProvider connect(Supplier<HttpClient> http, Duration timeout) {
        return new TelnyxProvider(http.get(), this, timeout);
    }
}
