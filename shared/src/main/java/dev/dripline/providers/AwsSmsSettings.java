package dev.dripline.providers;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * AWS End User Messaging SMS: DRIPLINE_AWS_ORIGINATION_IDENTITY (required: a phone number,
 * sender ID, pool or their ARN), DRIPLINE_AWS_ENDPOINT (optional endpoint override),
 * DRIPLINE_AWS_CONFIGURATION_SET (optional: where delivery events go), AWS_REGION. Credentials
 * are the function role's.
 */
public record AwsSmsSettings(String originationIdentity, Optional<URI> endpoint, Optional<String> configurationSet, String region)
        implements ProviderAccount {

    @Override
    public SmsProvider connect(Supplier<HttpClient> http, Duration timeout) {
        return AwsSmsProvider.fromSettings(this, timeout);
    }
}
