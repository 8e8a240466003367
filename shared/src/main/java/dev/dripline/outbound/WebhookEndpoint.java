package dev.dripline.outbound;

import java.time.Instant;
import java.util.List;

/**
 * An integrator's webhook endpoint as the API shows it: never its secret.
 *
 * @param previousSecretExpiresAt after a rotation, until when deliveries are also signed with the old secret
 */
public record WebhookEndpoint(String id, String url, List<String> eventTypes, String description, boolean enabled,
                              Instant createdAt, Instant updatedAt, Instant secretRotatedAt, Instant previousSecretExpiresAt) {
}
