package dev.dripline.api;

import dev.dripline.auth.ApiKeys;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The configured API key on Lambda (an admin key; others are made through /v1/api-keys): read once at start from the Secrets Manager secret that
 * template.yaml generates (DRIPLINE_API_KEY_SECRET_ARN), or taken from DRIPLINE_API_KEY.
 * The local runtime registers its own.
 */
@Factory
public class ApiKeyBeans {

    @Singleton
    @Requires(missingBeans = ApiKeys.class)
    ApiKeys apiKeys() {
        String key = System.getenv("DRIPLINE_API_KEY");
        String secretArn = System.getenv("DRIPLINE_API_KEY_SECRET_ARN");
        if ((key == null || key.isEmpty()) && secretArn != null && !secretArn.isEmpty()) {
            try (SecretsManagerClient secrets = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
                key = secrets.getSecretValue(r -> r.secretId(secretArn)).secretString();
            }
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalStateException("no API key configured: set DRIPLINE_API_KEY_SECRET_ARN (or DRIPLINE_API_KEY)");
        }
        return ApiKeys.single("default", key.trim());
    }
}
