package dev.dripline.messaging;

/**
 * What travels on the send queue: only the message's id. The record in DynamoDB is the truth
 * (body, recipient, state), so a redelivered request can always see what already happened.
 */
public record SendRequest(String messageId) {
}
