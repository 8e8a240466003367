package dev.dripline.conversations;

import java.time.Instant;

/** A message a person sent to one of our numbers, as any provider reports it. */
public record InboundSms(String provider, String providerMessageId, String from, String to, String body, Instant receivedAt) {
}
