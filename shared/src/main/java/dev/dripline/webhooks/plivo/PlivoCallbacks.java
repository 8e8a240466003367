package dev.dripline.webhooks.plivo;

import dev.dripline.conversations.InboundMedia;
import dev.dripline.conversations.InboundSms;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Refused;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.receipts.DeliveryReceipt;
import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.Hmac;
import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Plivo's messaging callbacks without HTTP. X-Plivo-Signature-V3 = base64(HMAC-SHA256(auth
 * token, U + "." + nonce)); for a POST, U is scheme://host[:port]/path, then "?" and either the
 * body fields sorted by name as name+value (no query) or the query's sorted "k=v&amp;..." + "." +
 * the body fields so. The header may hold several signatures, comma-separated; any may match.
 */
public final class PlivoCallbacks {

    public static final String SIGNATURE_HEADER = "X-Plivo-Signature-V3";
    public static final String NONCE_HEADER = "X-Plivo-Signature-V3-Nonce";
    /** Plivo's error code for a destination on DND / opted out (re-verify against Plivo's SMS error list). */
    public static final String RECIPIENT_DND = "200";

    private static final Map<String, MessageStatus> STATUSES = Map.of(
            "queued", MessageStatus.QUEUED,
            "sent", MessageStatus.SENT,
            "delivered", MessageStatus.DELIVERED,
            "undelivered", MessageStatus.UNDELIVERED,
            "failed", MessageStatus.FAILED,
            "rejected", MessageStatus.FAILED);

    private final Optional<String> authToken;

    public PlivoCallbacks(Optional<String> authToken) {
        this.authToken = authToken;
    }

    public static String sign(String authToken, String url, String nonce, Form body) {
        return Base64.getEncoder().encodeToString(Hmac.of("HmacSHA256", authToken, signedUrl(url, body) + "." + nonce));
    }

    static String signedUrl(String url, Form body) {
        URI u = URI.create(url);
        String base = u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
        String fields = body.sorted().stream().map(e -> e.getKey() + e.getValue()).collect(Collectors.joining());
        if (u.getRawQuery() == null || u.getRawQuery().isEmpty()) {
            return base + (fields.isEmpty() ? "" : "?" + fields);
        }
        String query = Form.parse(u.getRawQuery()).sorted().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        return base + "?" + query + (fields.isEmpty() ? "" : "." + fields);
    }

    public Form verified(String url, String signatures, String nonce, String rawBody) {
        if (authToken.isEmpty()) {
            throw new Refused("Plivo webhooks are not configured (DRIPLINE_PLIVO_AUTH_TOKEN)");
        }
        if (signatures == null || nonce == null || nonce.isBlank()) {
            throw new Refused("missing " + SIGNATURE_HEADER + " or its nonce");
        }
        Form form;
        String expected;
        try {
            form = Form.parse(rawBody);
            expected = sign(authToken.get(), url, nonce, form);
        } catch (IllegalArgumentException | InvalidInput malformed) {
            // Unverifiable is refused (403), never answered 422 before the signature is known good.
            throw new Refused("missing or wrong " + SIGNATURE_HEADER);
        }
        for (String candidate : signatures.split(",")) {
            if (Hmac.equal(expected, candidate.trim())) {
                return form;
            }
        }
        throw new Refused("wrong " + SIGNATURE_HEADER);
    }

    /**
     * A message; an MMS ({@code Type=mms}) has its text in {@code Body} and {@code MediaCount}
     * URLs in {@code Media1..MediaN} (Plivo's reference; its older support article counts from
     * {@code Media0}, which is read too).
     */
    public static InboundSms inbound(Form form, java.time.Instant now) {
        boolean mms = "mms".equalsIgnoreCase(form.first("Type").orElse("sms").trim());
        String text = mms ? form.first("Body").or(() -> form.first("Text")).orElse("") : form.first("Text").orElse("");
        return new InboundSms("plivo", form.required("MessageUUID"), normalize(form.required("From")), normalize(form.required("To")),
                text, now, mms ? media(form) : java.util.List.of());
    }

    static java.util.List<InboundMedia> media(Form form) {
        int count = Form.count(form, "MediaCount", InboundSms.MAX_MEDIA);
        int first = form.first("Media0").filter(u -> !u.isBlank()).isPresent() ? 0 : 1;
        java.util.List<InboundMedia> media = new java.util.ArrayList<>();
        for (int n = first; n < first + count; n++) {
            media.add(new InboundMedia(form.required("Media" + n), null, null));
        }
        return media;
    }

    public static Optional<DeliveryReceipt> receipt(String messageId, Form form, java.time.Instant now) {
        if (messageId == null || messageId.isBlank()) {
            throw InvalidInput.of("m", "is required: the callback URL carries the message id");
        }
        String uuid = form.required("MessageUUID");
        String reported = form.required("Status").trim().toLowerCase(Locale.ROOT);
        MessageStatus status = STATUSES.get(reported);
        if (status == null) {
            return Optional.empty();
        }
        String errorCode = form.first("ErrorCode").filter(c -> !c.isBlank() && !"000".equals(c) && !"0".equals(c)).orElse(null);
        return Optional.of(new DeliveryReceipt("plivo", messageId, uuid, status, errorCode, now, uuid + ":" + reported,
                RECIPIENT_DND.equals(errorCode)));
    }

    /** Plivo sends numbers without the plus. */
    private static String normalize(String number) {
        String n = number.trim();
        return n.startsWith("+") ? n : "+" + n;
    }
}
