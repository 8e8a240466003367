package dev.dripline.providers;

import java.net.URI;

/**
 * What a provider is asked to send.
 *
 * @param messageId      Dripline's id, echoed back in the status callback so receipts find the
 *                       message without a lookup by the provider's id
 * @param statusCallback where the provider reports delivery
 */
public record OutboundSms(String messageId, String from, String to, String body, URI statusCallback) {
}
