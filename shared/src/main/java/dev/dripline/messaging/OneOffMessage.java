package dev.dripline.messaging;

/** {@code POST /v1/messages}: a single message to one number, outside any campaign. */
public record OneOffMessage(String to, String country, String body, String category, String from) {
}
