package dev.dripline.media;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Media a message carries, as the API shows it: uploaded media by {@code id} (its type and size
 * known), or a caller's {@code url} (its type guessed from the name, its size unknown: null).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageMedia(String id, String url, String contentType, Long size) {

    public static MessageMedia stored(StoredMedia m) {
        return new MessageMedia(m.id(), null, m.contentType(), m.size());
    }
}
