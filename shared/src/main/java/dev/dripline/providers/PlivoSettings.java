package dev.dripline.providers;

import dev.dripline.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Plivo: DRIPLINE_PLIVO_AUTH_ID, _AUTH_TOKEN (required), and a sender: _FROM, or
 * _POWERPACK_UUID (Plivo picks the number from the Powerpack), or numbers listed for plivo in
 * DRIPLINE_SENDERS; _BASE_URL (default https://api.plivo.com).
 */
public record PlivoSettings(String authId, Secret authToken, String from, String powerpackUuid, URI baseUrl) implements ProviderAccount {

    public PlivoSettings(String authId, String authToken, String from, URI baseUrl) {
        this(authId, Secret.of(authToken), from, null, baseUrl);
    }

    @Override
    public SmsProvider connect(Supplier<HttpClient> http, Duration timeout) {
        return new PlivoProvider(http.get(), this, timeout);
    }
}
