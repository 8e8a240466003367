package dev.dripline.messaging;

import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/messages?contact=&status=&campaign=&broadcast=&from=&to=}: every given criterion
 * must hold; {@code from} is inclusive, {@code to} exclusive (times of creation).
 */
public record MessageFilter(String contactId, MessageStatus status, String campaignId, String broadcastId, Instant from, Instant to) {

    public static MessageFilter parse(String contact, String status, String campaign, String broadcast, String from, String to) {
        List<FieldError> errors = new ArrayList<>();
        MessageStatus s = null;
        if (blank(status) == null) {
            s = null;
        } else {
            try {
                s = MessageStatus.fromWire(status);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("status", "is not a message status (queued, sent, delivered, failed, ...)"));
            }
        }
        Instant f = instant(from, "from", errors);
        Instant t = instant(to, "to", errors);
        if (f != null && t != null && !f.isBefore(t)) {
            errors.add(new FieldError("to", "must be after from"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new MessageFilter(blank(contact), s, blank(campaign), blank(broadcast), f, t);
    }

    /** The list these filters make: its cursors open only with the same filters. */
    String identity() {
        return "messages?contact=" + contactId + "&status=" + (status == null ? null : status.wire()) + "&campaign=" + campaignId
                + "&broadcast=" + broadcastId + "&from=" + from + "&to=" + to;
    }

    boolean inRange(Instant createdAt) {
        return (from == null || !createdAt.isBefore(from)) && (to == null || createdAt.isBefore(to));
    }

    private static Instant instant(String value, String field, List<FieldError> errors) {
        if (blank(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 time in UTC, e.g. 2026-12-24T14:30:00Z"));
            return null;
        }
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
