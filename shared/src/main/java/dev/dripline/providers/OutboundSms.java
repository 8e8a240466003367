package dev.dripline.providers;

import java.net.URI;

/**
 * What a provider is asked to send.
 *
 * @param messageId      Dripline's id, echoed back in the status callback so receipts find the
 *                       message without a lookup by the provider's id
 * @param statusCallback where the provider reports delivery
 * @param promotional    marketing (true) or transactional (false); null when not known
 * @param validFor       how long the message may still be delivered (what is left of its
 *                       validity); null when not known
 * @param media          what to attach (an MMS); empty for a text
 */
public record OutboundSms(String messageId, String from, String to, String body, URI statusCallback, Boolean promotional,
                          java.time.Duration validFor, java.util.List<dev.dripline.media.OutboundMedia> media) {

    public OutboundSms {
        media = media == null ? java.util.List.of() : java.util.List.copyOf(media);
    }

    public OutboundSms(String messageId, String from, String to, String body, URI statusCallback, Boolean promotional,
                       java.time.Duration validFor) {
        this(messageId, from, to, body, statusCallback, promotional, validFor, java.util.List.of());
    }

    /** Whether it carries media: an MMS. */
    public boolean isMms() {
        return !media.isEmpty();
    }

    public OutboundSms(String messageId, String from, String to, String body, URI statusCallback) {
        this(messageId, from, to, body, statusCallback, null, null);
    }
}
