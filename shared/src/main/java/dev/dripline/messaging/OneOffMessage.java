package dev.dripline.messaging;

import java.time.Instant;

/**
 * {@code POST /v1/messages}: a single message to one number, outside any campaign.
 *
 * @param sendAt        when to send it; absent or past: now
 * @param smartEncoding replace look-alike Unicode with GSM-7 where that saves a segment; absent: the global setting
 * @param media         pictures and other media to send as MMS: {@code [{url} or {id}]}; absent: a text
 * @param mediaFallback where MMS cannot go (destination, sender): {@code link} (default: SMS with a
 *                      tracked short link to each media) or {@code fail}
 */
public record OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt,
                            Boolean smartEncoding, java.util.List<dev.dripline.media.MediaInput> media, String mediaFallback) {

    public OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt,
                         Boolean smartEncoding) {
        this(to, country, body, category, from, sendAt, smartEncoding, null, null);
    }

    public OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt) {
        this(to, country, body, category, from, sendAt, null);
    }
}
