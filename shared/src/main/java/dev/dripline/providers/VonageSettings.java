package dev.dripline.providers;

import dev.dripline.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Vonage SMS API: DRIPLINE_VONAGE_API_KEY, _API_SECRET (required to send), a sender: _FROM (a
 * number or alphanumeric sender ID) or numbers listed for vonage in DRIPLINE_SENDERS, _BASE_URL
 * (default https://rest.nexmo.com). The webhook signature secret is the webhooks' setting.
 */
public record VonageSettings(String apiKey, Secret apiSecret, String from, URI baseUrl) implements ProviderAccount {

    public VonageSettings(String apiKey, String apiSecret, String from, URI baseUrl) {
        this(apiKey, Secret.of(apiSecret), from, baseUrl);
    }

    @Override
    public SmsProvider connect(Supplier<HttpClient> http, Duration timeout) {
        return new VonageProvider(http.get(), this, timeout);
    }
}
