package dev.dripline.messaging;

import java.time.Instant;

/**
 * {@code POST /v1/messages}: a single message to one number, outside any campaign.
 *
 * @param sendAt when to send it; absent or past: now
 */
public record OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt) {
}
