package dev.dripline.messaging;

import java.time.Instant;

/**
 * {@code POST /v1/messages}: a single message to one number, outside any campaign.
 *
 * @param sendAt        when to send it; absent or past: now
 * @param smartEncoding replace look-alike Unicode with GSM-7 where that saves a segment; absent: the global setting
 * @param topic         the consent topic (DRIPLINE_TOPICS); absent: the category's ({@code marketing}, {@code alerts})
 * @param frequencyCap  for marketing held by a jurisdiction's cap (Florida: 3 in 24 hours): {@code defer} (default) to
 *                      when the window frees, or {@code skip} (refused, 409 frequency-capped); the campaigns' name and values
 * @param media         pictures and other media to send as MMS: {@code [{url} or {id}]}; absent: a text
 * @param mediaFallback where MMS cannot go (destination, sender): {@code link} (default: SMS with a
 *                      tracked short link to each media) or {@code fail}
 */
public record OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt,
                            Boolean smartEncoding, String topic, String frequencyCap,
                            java.util.List<dev.dripline.media.MediaInput> media, String mediaFallback) {

    /** The one the API's JSON is read into (the shorter ones are for callers in code). */
    @com.fasterxml.jackson.annotation.JsonCreator
    public OneOffMessage {
    }

    public OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt, Boolean smartEncoding,
                         String topic, String frequencyCap) {
        this(to, country, body, category, from, sendAt, smartEncoding, topic, frequencyCap, null, null);
    }

    public OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt, Boolean smartEncoding) {
        this(to, country, body, category, from, sendAt, smartEncoding, null, null);
    }

    public OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt) {
        this(to, country, body, category, from, sendAt, null, null, null);
    }
}
