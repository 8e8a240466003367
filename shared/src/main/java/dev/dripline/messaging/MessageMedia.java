package dev.dripline.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A picture (or clip, or file) a message carries, as the API shows it: {@code {id, url,
 * contentType, size}} once stored. An inbound one is {@code pending} until fetched from the
 * provider, then {@code stored}, or {@code failed} with the reason (the message itself is kept
 * either way).
 *
 * @param id          the stored media's id ({@code med_...}); null until stored
 * @param url         where to GET the bytes: a short-lived fetch URL made when the message is read; null until stored
 * @param contentType as stored (or as the provider reported, before)
 * @param size        bytes, as stored (or as the provider reported, before)
 * @param status      {@link #PENDING}, {@link #STORED} or {@link #FAILED}
 * @param error       why the fetch failed, when it did
 * @param source      the provider's URL it is fetched from (kept, never shown: it may need credentials)
 * @param attempts    fetches tried so far
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record MessageMedia(String id, String url, String contentType, Long size, String status, String error,
                           @JsonIgnore String source, @JsonIgnore int attempts) {

    public static final String PENDING = "pending";
    public static final String STORED = "stored";
    public static final String FAILED = "failed";

    /** Outbound media uploaded with POST /v1/media (its type and size known). */
    public static MessageMedia stored(dev.dripline.media.StoredMedia m) {
        return new MessageMedia(m.id(), null, m.contentType(), m.size(), STORED, null, null, 0);
    }

    /** Outbound media at a caller's own URL: its type guessed from the name, its size unknown. */
    public static MessageMedia atUrl(String url, String contentType) {
        return new MessageMedia(null, url, contentType, null, null, null, null, 0);
    }

    /** Reported by the provider, not yet fetched. */
    public static MessageMedia pending(String source, String contentType, Long size) {
        return new MessageMedia(null, null, contentType, size, PENDING, null, source, 0);
    }

    /** Fetched and stored under {@code id}. */
    public MessageMedia stored(String mediaId, String storedType, long storedSize) {
        return new MessageMedia(mediaId, null, storedType, storedSize, STORED, null, source, attempts + 1);
    }

    /** A fetch failed; {@code retry}: it will be tried again (the status stays pending). */
    public MessageMedia failed(String reason, boolean retry) {
        return new MessageMedia(null, null, contentType, size, retry ? PENDING : FAILED, reason, source, attempts + 1);
    }

    /** As shown, with a fetch URL for stored media. */
    public MessageMedia withUrl(String fetchUrl) {
        return new MessageMedia(id, fetchUrl, contentType, size, status, error, source, attempts);
    }

    @JsonIgnore
    public boolean isPending() {
        return PENDING.equals(status);
    }
}
