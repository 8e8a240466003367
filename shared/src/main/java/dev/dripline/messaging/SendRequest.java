package dev.dripline.messaging;

import java.time.Instant;

/**
 * What travels on the send queue: the message's id, and how many rounds of provider calls it
 * already had. The record in DynamoDB is the truth (body, recipient, state), so a redelivered
 * request can always see what already happened.
 *
 * @param attempt   0 for the first round; the sender re-enqueues a message that must wait with
 *                  attempt + 1, and fails it after DRIPLINE_SEND_MAX_ATTEMPTS rounds. Waiting
 *                  for throughput or quiet hours keeps the attempt as it is.
 * @param provider  with {@code from} and {@code notBefore}: a throughput reservation already
 *                  made for this message (null when none)
 * @param from      the sender number the reservation is on
 * @param notBefore the reserved slot: the message may be sent from then on without asking again
 * @param correlationId the id of the API call or webhook that caused the send, for the logs
 *                  (taken from the logging context where the request is made)
 * @param waitingFor why the message is waiting for a provider (circuit open, 429, unreachable...):
 *                  the reason it ends {@code expired} with if its validity passes meanwhile; null
 *                  for a first request
 * @param card      what the sender's checks need of the message, on the request the API queues with it
 *                  (null otherwise): that round skips reading the message; the claim, a conditional
 *                  write, still decides, and returns the stored message, which is what is sent
 */
public record SendRequest(String messageId, int attempt, String provider, String from, Instant notBefore, String correlationId,
                          String waitingFor, SendCard card) {

    public SendRequest(String messageId, int attempt, String provider, String from, Instant notBefore, String correlationId,
                       String waitingFor) {
        this(messageId, attempt, provider, from, notBefore, correlationId, waitingFor, null);
    }

    public SendRequest(String messageId, int attempt, String provider, String from, Instant notBefore, String correlationId) {
        this(messageId, attempt, provider, from, notBefore, correlationId, null);
    }

    /** The first request of a message just stored, carrying its card. */
    static SendRequest firstOf(Message m) {
        return new SendRequest(m.id(), 0, null, null, null, dev.dripline.logging.Correlation.current(), null, SendCard.of(m));
    }

    /** This request without its card: the round reads the stored message. */
    SendRequest withoutCard() {
        return new SendRequest(messageId, attempt, provider, from, notBefore, correlationId, waitingFor, null);
    }

    public SendRequest(String messageId) {
        this(messageId, 0);
    }

    public SendRequest(String messageId, int attempt) {
        this(messageId, attempt, null, null, null);
    }

    public SendRequest(String messageId, int attempt, String provider, String from, Instant notBefore) {
        this(messageId, attempt, provider, from, notBefore, dev.dripline.logging.Correlation.current());
    }

    /** Whether this request holds a reservation on {@code provider}'s number. */
    boolean reservedOn(String providerName) {
        return notBefore != null && from != null && providerName.equals(provider);
    }
}
