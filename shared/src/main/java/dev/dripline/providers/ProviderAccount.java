package dev.dripline.providers;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/** One provider's complete settings, able to connect the provider they configure. */
@FunctionalInterface
public interface ProviderAccount {

    /** @param http the one HTTP client the providers share; @param timeout how long a provider call may take */
    SmsProvider connect(Supplier<HttpClient> http, Duration timeout);
}
