package dev.dripline.providers;

import dev.dripline.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Twilio: DRIPLINE_TWILIO_ACCOUNT_SID, _AUTH_TOKEN (required), and a sender: _FROM (a number or
 * sender ID) or _MESSAGING_SERVICE_SID (MG..., Twilio picks the number from the service's pool;
 * with both, From names the number within the service), or numbers listed for twilio in
 * DRIPLINE_SENDERS; _BASE_URL (default https://api.twilio.com).
 */
public record TwilioSettings(String accountSid, Secret authToken, String from, String messagingServiceSid, URI baseUrl)
        implements ProviderAccount {

    public TwilioSettings(String accountSid, String authToken, String from, URI baseUrl) {
        this(accountSid, Secret.of(authToken), from, null, baseUrl);
    }

    @Override
    public SmsProvider connect(Supplier<HttpClient> http, Duration timeout) {
        return new TwilioProvider(http.get(), this, timeout);
    }
}
