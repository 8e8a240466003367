package dev.dripline.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One message, either way, as the API shows it.
 *
 * @param history every status reported, in arrival order, including late ones that did not
 *                change {@code status}
 * @param sendAt  when a scheduled message is due; null for one sent at once
 * @param origin  the campaign step or broadcast it was sent for; null for one of its own
 * @param media   the pictures (clips, files) it carries; empty for a text
 * @param topic   the consent topic it is sent under ({@code marketing}, {@code alerts}...); null for a keyword reply
 * @param capHold the jurisdiction's cap rule that deferred it and until when; null if none did
 */
public record Message(
        String id,
        Direction direction,
        String contactId,
        String to,
        String from,
        String body,
        Category category,
        MessageStatus status,
        List<StatusChange> history,
        String provider,
        String providerMessageId,
        String encoding,
        Integer segments,
        BigDecimal cost,
        String errorCode,
        Instant createdAt,
        Instant sendAt,
        Origin origin,
        String topic,
        @com.fasterxml.jackson.annotation.JsonIgnore CapHold capHold,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        List<MessageMedia> media) {

    public Message {
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** A text message with no topic and no cap hold (what was stored before topics and media). */
    public Message(String id, Direction direction, String contactId, String to, String from, String body, Category category,
                   MessageStatus status, List<StatusChange> history, String provider, String providerMessageId, String encoding,
                   Integer segments, BigDecimal cost, String errorCode, Instant createdAt, Instant sendAt, Origin origin) {
        this(id, direction, contactId, to, from, body, category, status, history, provider, providerMessageId, encoding, segments,
                cost, errorCode, createdAt, sendAt, origin, null, null, List.of());
    }

    /** The same message with {@code media} in place of its own (the API's fetch URLs, an update). */
    public Message withMedia(List<MessageMedia> replaced) {
        return new Message(id, direction, contactId, to, from, body, category, status, history, provider, providerMessageId, encoding,
                segments, cost, errorCode, createdAt, sendAt, origin, topic, capHold, replaced);
    }

    /** A cap rule of the compliance table that deferred a message to {@code until} (shown as {@code heldUntil}, {@code heldBy}). */
    public record CapHold(Instant until, String ruleId, String jurisdiction, String source) {
    }

    /** Whether it carries media (an MMS). */
    public boolean hasMedia() {
        return !media.isEmpty();
    }

    /** A message of its own (no campaign, no broadcast). */
    public Message(String id, Direction direction, String contactId, String to, String from, String body, Category category,
                   MessageStatus status, List<StatusChange> history, String provider, String providerMessageId, String encoding,
                   Integer segments, BigDecimal cost, String errorCode, Instant createdAt, Instant sendAt) {
        this(id, direction, contactId, to, from, body, category, status, history, provider, providerMessageId, encoding, segments,
                cost, errorCode, createdAt, sendAt, null);
    }

    /** A new outbound message (direction, id): the rest through the builder's named parts. */
    public static Builder outbound(String id) {
        return new Builder(id, Direction.OUTBOUND);
    }

    /** A new inbound message (direction, id): the rest through the builder's named parts. */
    public static Builder inbound(String id) {
        return new Builder(id, Direction.INBOUND);
    }

    /** Builds a message by named parts: 18 positional components are easy to swap unnoticed. */
    public static final class Builder {
        private final String id;
        private final Direction direction;
        private String contactId;
        private String to;
        private String from;
        private String body;
        private Category category;
        private MessageStatus status;
        private List<StatusChange> history = List.of();
        private String provider;
        private String providerMessageId;
        private String encoding;
        private Integer segments;
        private BigDecimal cost;
        private String errorCode;
        private Instant createdAt;
        private Instant sendAt;
        private Origin origin;
        private List<MessageMedia> media = List.of();
        private String topic;
        private CapHold capHold;

        private Builder(String id, Direction direction) {
            this.id = id;
            this.direction = direction;
        }

        /** The contact, and the two numbers as the direction has them. */
        public Builder between(String contactId, String to, String from) {
            this.contactId = contactId;
            this.to = to;
            this.from = from;
            return this;
        }

        /** The text as sent, its encoding's label and its segment count. */
        public Builder body(String body, String encoding, Integer segments) {
            this.body = body;
            this.encoding = encoding;
            this.segments = segments;
            return this;
        }

        public Builder category(Category category) {
            this.category = category;
            return this;
        }

        /** The first status, which is also the only entry of the history. */
        public Builder firstStatus(MessageStatus status, Instant at) {
            this.status = status;
            this.history = List.of(new StatusChange(status, at, null));
            return this;
        }

        public Builder provider(String provider, String providerMessageId) {
            this.provider = provider;
            this.providerMessageId = providerMessageId;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder sendAt(Instant sendAt) {
            this.sendAt = sendAt;
            return this;
        }

        public Builder origin(Origin origin) {
            this.origin = origin;
            return this;
        }

        public Builder media(List<MessageMedia> media) {
            this.media = media;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder capHold(CapHold capHold) {
            this.capHold = capHold;
            return this;
        }

        public Message build() {
            if (status == null || createdAt == null) {
                throw new IllegalStateException("message " + id + " needs its first status and its creation time");
            }
            return new Message(id, direction, contactId, to, from, body, category, status, history, provider, providerMessageId,
                    encoding, segments, cost, errorCode, createdAt, sendAt, origin, topic, capHold, media);
        }
    }

    /** A status as reported, when it was recorded, and the provider's error code if any. */
    public record StatusChange(MessageStatus status, Instant at, String errorCode) {
    }
}
