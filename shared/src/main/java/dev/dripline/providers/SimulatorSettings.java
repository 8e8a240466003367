package dev.dripline.providers;

import dev.dripline.config.Secret;
import java.net.URI;
import java.util.Optional;

/**
 * The simulated carrier: where it takes messages (DRIPLINE_SIMULATOR_URL), and the secret its
 * webhooks are signed with (DRIPLINE_SIMULATOR_SECRET).
 */
public record SimulatorSettings(Optional<URI> url, Secret secret) {

    /** The simulator as a provider account, once its URL is set. */
    Optional<ProviderAccount> account() {
        return url.map(u -> (http, timeout) -> new SimulatorProvider(http.get(), u));
    }
}
