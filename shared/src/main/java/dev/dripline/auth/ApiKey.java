package dev.dripline.auth;

import java.time.Instant;
import java.util.List;

/**
 * An API key as listed: never its secret, which is shown once when it is created.
 *
 * @param lastUsedAt to the minute (recorded at most once a minute per key); null if never used
 * @param revokedAt  when it was revoked; null while it works
 */
public record ApiKey(String id, String name, List<String> scopes, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
}
