package dev.dripline.messaging;

/**
 * What travels on the send queue: the message's id, and how many rounds of provider calls it
 * already had. The record in DynamoDB is the truth (body, recipient, state), so a redelivered
 * request can always see what already happened.
 *
 * @param attempt 0 for the first round; the sender re-enqueues a message that must wait with
 *                attempt + 1, and fails it after DRIPLINE_SEND_MAX_ATTEMPTS rounds
 */
public record SendRequest(String messageId, int attempt) {

    public SendRequest(String messageId) {
        this(messageId, 0);
    }
}
