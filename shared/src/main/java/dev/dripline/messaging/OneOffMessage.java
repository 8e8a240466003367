package dev.dripline.messaging;

import java.time.Instant;

/**
 * {@code POST /v1/messages}: a single message to one number, outside any campaign.
 *
 * @param sendAt        when to send it; absent or past: now
 * @param smartEncoding replace look-alike Unicode with GSM-7 where that saves a segment; absent: the global setting
 */
public record OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt,
                            Boolean smartEncoding) {

    public OneOffMessage(String to, String country, String body, String category, String from, Instant sendAt) {
        this(to, country, body, category, from, sendAt, null);
    }
}
