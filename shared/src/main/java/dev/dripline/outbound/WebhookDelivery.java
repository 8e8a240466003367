package dev.dripline.outbound;

import java.time.Instant;
import java.util.List;

/**
 * One event's delivery to one endpoint, with every attempt. {@code status}: {@code pending}
 * (queued), {@code retrying} (failed, another attempt at the last attempt's {@code nextRetryAt}),
 * {@code succeeded}, {@code failed} (attempts exhausted: replay it), {@code cancelled} (the
 * endpoint was disabled or deleted meanwhile).
 *
 * @param replayOf the delivery this one replays, if it is a replay
 */
public record WebhookDelivery(String id, String endpointId, String eventId, String eventType, String status, Instant createdAt,
                              String replayOf, List<Attempt> attempts) {

    /**
     * @param statusCode  the receiver's HTTP status, absent when no answer came
     * @param error       why the attempt failed (absent on success)
     * @param nextRetryAt when the next attempt is due, absent if none will be made
     */
    public record Attempt(int attempt, Instant at, Integer statusCode, String error, Long durationMs, Instant nextRetryAt) {
    }
}
