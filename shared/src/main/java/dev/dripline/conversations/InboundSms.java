package dev.dripline.conversations;

import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A message a person sent to one of our numbers, as any provider reports it.
 *
 * @param media what an MMS carried (empty for an SMS); a media-only message has an empty body
 */
public record InboundSms(String provider, String providerMessageId, String from, String to, String body, Instant receivedAt,
                         List<InboundMedia> media) {

    /** The most media one inbound message keeps (Twilio, Plivo and Telnyx carry at most 10). */
    public static final int MAX_MEDIA = 10;

    /** The longest text a provider delivers as one message (Twilio's limit; long messages are reassembled within it). */
    public static final int MAX_BODY = 1600;

    /** Refused whole (422 naming the field) before anything, a contact included, is stored. */
    public InboundSms {
        media = media == null ? List.of() : List.copyOf(media);
        List<FieldError> errors = new ArrayList<>();
        if (media.size() > MAX_MEDIA) {
            errors.add(new FieldError("media", "has " + media.size() + " items; an inbound message keeps at most " + MAX_MEDIA));
        }
        for (int i = 0; i < media.size(); i++) {
            if (media.get(i).url().length() > InboundMedia.MAX_URL) {
                errors.add(new FieldError("media[" + i + "].url", "has " + media.get(i).url().length() + " characters; at most "
                        + InboundMedia.MAX_URL));
            }
        }
        if (body != null && body.length() > MAX_BODY) {
            errors.add(new FieldError("body", "has " + body.length() + " characters; an SMS has at most " + MAX_BODY));
        }
        if (providerMessageId != null && providerMessageId.length() > 128) {
            errors.add(new FieldError("id", "has " + providerMessageId.length() + " characters; at most 128"));
        }
        if (from != null && from.length() > 64) {
            errors.add(new FieldError("from", "has " + from.length() + " characters; at most 64"));
        }
        if (to != null && to.length() > 64) {
            errors.add(new FieldError("to", "has " + to.length() + " characters; at most 64"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
    }

    /** A text message (no media). */
    public InboundSms(String provider, String providerMessageId, String from, String to, String body, Instant receivedAt) {
        this(provider, providerMessageId, from, to, body, receivedAt, List.of());
    }
}
