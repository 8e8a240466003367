package dev.dripline.webhooks.twilio;

import dev.dripline.conversations.InboundMedia;
import dev.dripline.conversations.InboundSms;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Refused;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.receipts.DeliveryReceipt;
import dev.dripline.webhooks.Form;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's messaging webhooks, without HTTP: the raw form body verified against
 * X-Twilio-Signature, then mapped to an {@link InboundSms} or a {@link DeliveryReceipt}.
 */
public final class TwilioCallbacks {

    /** Twilio error 21610: the recipient replied STOP; Twilio blocks the pair until START. */
    public static final String RECIPIENT_UNSUBSCRIBED = "21610";

    private static final Map<String, MessageStatus> STATUSES = Map.ofEntries(
            Map.entry("accepted", MessageStatus.QUEUED),
            Map.entry("scheduled", MessageStatus.QUEUED),
            Map.entry("queued", MessageStatus.QUEUED),
            Map.entry("sending", MessageStatus.SENT),
            Map.entry("sent", MessageStatus.SENT),
            Map.entry("delivered", MessageStatus.DELIVERED),
            Map.entry("read", MessageStatus.DELIVERED),
            Map.entry("undelivered", MessageStatus.UNDELIVERED),
            Map.entry("failed", MessageStatus.FAILED),
            Map.entry("canceled", MessageStatus.FAILED));

    private final Optional<String> authToken;

    public TwilioCallbacks(Optional<String> authToken) {
        this.authToken = authToken;
    }

    /**
     * The form Twilio posted, if signed with the auth token over {@code url} (the public URL
     * called, with its query) and these exact fields.
     *
     * @throws Refused       unsigned, mis-signed, or no auth token configured
     * @throws InvalidInput  a body that is not a form (only after the signature could not be checked)
     */
    public Form verified(String url, String signature, String rawBody) {
        if (authToken.isEmpty()) {
            throw new Refused("Twilio webhooks are not configured (DRIPLINE_TWILIO_AUTH_TOKEN)");
        }
        Form form;
        try {
            form = Form.parse(rawBody);
        } catch (InvalidInput malformed) {
            throw new Refused("missing or wrong " + TwilioSignature.HEADER);
        }
        if (!TwilioSignature.verify(authToken.get(), signature, url, form)) {
            throw new Refused("missing or wrong " + TwilioSignature.HEADER);
        }
        return form;
    }

    /**
     * The fields of a GET webhook (Twilio sends them in the query string when the number's
     * webhook method is GET), if signed over {@code url} as called, query included, with no fields.
     */
    public Form verifiedGet(String url, String signature) {
        if (authToken.isEmpty()) {
            throw new Refused("Twilio webhooks are not configured (DRIPLINE_TWILIO_AUTH_TOKEN)");
        }
        if (!TwilioSignature.verify(authToken.get(), signature, url, Form.of(java.util.List.of()))) {
            throw new Refused("missing or wrong " + TwilioSignature.HEADER);
        }
        String query = java.net.URI.create(url).getRawQuery();
        return Form.parse(query == null ? "" : query);
    }

    /** A message, with the media an MMS carried: {@code NumMedia}, then {@code MediaUrl{n}} and {@code MediaContentType{n}} from 0. */
    public static InboundSms inbound(Form form, Instant now) {
        return new InboundSms("twilio", form.required("MessageSid"), form.required("From"), form.required("To"),
                form.first("Body").orElse(""), now, media(form));
    }

    static java.util.List<InboundMedia> media(Form form) {
        int count = Form.count(form, "NumMedia", InboundSms.MAX_MEDIA);
        java.util.List<InboundMedia> media = new java.util.ArrayList<>();
        for (int n = 0; n < count; n++) {
            media.add(new InboundMedia(form.required("MediaUrl" + n), form.first("MediaContentType" + n).orElse(null), null));
        }
        return media;
    }

    /**
     * The receipt a status callback reports; empty for a status outside the model (Twilio adds
     * statuses; an unknown one is acknowledged and ignored rather than refused).
     *
     * @param messageId Dripline's id, from the callback URL's {@code m} parameter
     */
    public static Optional<DeliveryReceipt> receipt(String messageId, Form form, Instant now) {
        if (messageId == null || messageId.isBlank()) {
            throw InvalidInput.of("m", "is required: the status callback URL carries the message id");
        }
        String sid = form.required("MessageSid");
        String reported = form.first("MessageStatus").or(() -> form.first("SmsStatus"))
                .orElseThrow(() -> InvalidInput.of("MessageStatus", "is required")).trim().toLowerCase(Locale.ROOT);
        MessageStatus status = STATUSES.get(reported);
        if (status == null) {
            return Optional.empty();
        }
        String errorCode = form.first("ErrorCode").filter(c -> !c.isBlank() && !"0".equals(c)).orElse(null);
        return Optional.of(new DeliveryReceipt("twilio", messageId, sid, status, errorCode, now, sid + ":" + reported,
                RECIPIENT_UNSUBSCRIBED.equals(errorCode)));
    }
}
