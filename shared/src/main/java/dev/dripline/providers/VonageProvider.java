package dev.dripline.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.messaging.encoding.GsmAlphabet;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Vonage SMS API: {@code POST /sms/json}, form fields {@code api_key, api_secret, from, to, text,
 * type, callback, client-ref} (client-ref carries our message id into every DLR). Numbers go
 * without the leading {@code +}, as Vonage's examples show them.
 *
 * <p>Vonage answers 200 with one entry per part, each with its own {@code status}: "0" sent, "1"
 * throttled, "7" number barred (the destination is on a block list: an opt-out), others errors.
 * If any part went out the message is accepted (retrying would resend those parts): its id is the
 * first part's, parts the number of entries, price the sum of {@code message-price}. If none went
 * out: "1" is retryable, "5" (internal error) unknown (Vonage does not say nothing was sent),
 * the rest permanent. HTTP 429 and 503 are retryable, 401 too (credentials refused: another
 * provider can send); other 5xx unknown.
 *
 * <p>An MMS goes through the Messages API instead ({@code POST /v1/messages} on api.nexmo.com, HTTP
 * Basic with the API key and secret, JSON {@code {message_type, <type>: {url, caption}, to, from,
 * channel: "mms", client_ref, webhook_url}} (webhook_url: the Messages API status route, {@link #messagesStatusUrl}), answered 202 {@code {message_uuid}}): one attachment
 * per message, its {@code message_type} from its content type (image, audio, video, vcard, else
 * file), the text as its caption. A message with more media is refused before it gets here
 * ({@link dev.dripline.media.MediaLimits}: Vonage carries one), and here too, permanently.
 */
public final class VonageProvider implements SmsProvider {

    static final String THROTTLED = "1";
    static final String INTERNAL_ERROR = "5";
    static final String NUMBER_BARRED = "7";
    private static final ErrorLadder LADDER = ErrorLadder.of("vonage").throttledOn(THROTTLED).mayHaveSentOn(INTERNAL_ERROR)
            .optedOutOn(NUMBER_BARRED);

    private final HttpClient http;
    private final VonageSettings settings;
    private final Duration timeout;
    private final URI smsUrl;

    public VonageProvider(HttpClient http, VonageSettings settings, Duration timeout) {
        this.http = http;
        this.settings = settings;
        this.timeout = timeout;
        this.smsUrl = URI.create(settings.baseUrl() + "/sms/json");
        // The Messages API lives on api.nexmo.com; a base URL set for tests serves both.
        String base = settings.baseUrl().toString().replaceAll("/+$", "");
        this.messagesUrl = URI.create((base.equals(SMS_API_HOST) ? MESSAGES_API_HOST : base) + "/v1/messages");
    }

    static final String SMS_API_HOST = "https://rest.nexmo.com";
    static final String MESSAGES_API_HOST = "https://api.nexmo.com";
    private final URI messagesUrl;

    @Override
    public String name() {
        return "vonage";
    }

    @Override
    public SendOutcome send(OutboundSms sms) {
        if (sms.isMms()) {
            return sendMms(sms);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("api_key", settings.apiKey());
        form.put("api_secret", settings.apiSecret().reveal());
        form.put("from", withoutPlus(ProviderHttp.sender(sms, settings.from())));
        form.put("to", withoutPlus(sms.to()));
        form.put("text", sms.body());
        form.put("type", isGsm(sms.body()) ? "text" : "unicode");
        form.put("callback", sms.statusCallback().toString());
        form.put("client-ref", sms.messageId());
        return ProviderHttp.post(http, smsUrl, timeout, null, "application/x-www-form-urlencoded", ProviderHttp.form(form), name(), this::outcome);
    }

    private SendOutcome sendMms(OutboundSms sms) {
        if (sms.media().size() > 1) {
            return new SendOutcome.Permanent("vonage_one_media", "vonage's MMS channel carries one attachment per message; this one has "
                    + sms.media().size(), false);
        }
        dev.dripline.media.OutboundMedia media = sms.media().get(0);
        String type = messageType(media.contentType());
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("url", media.url().toString());
        if (!sms.body().isEmpty()) {
            attachment.put("caption", sms.body());
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("message_type", type);
        payload.put(type, attachment);
        payload.put("to", withoutPlus(sms.to()));
        payload.put("from", withoutPlus(ProviderHttp.sender(sms, settings.from())));
        payload.put("channel", "mms");
        payload.put("client_ref", sms.messageId());
        payload.put("webhook_url", messagesStatusUrl(sms.statusCallback()).toString());
        return ProviderHttp.post(http, messagesUrl, timeout, ProviderHttp.basicAuth(settings.apiKey(), settings.apiSecret().reveal()),
                "application/json", dev.dripline.json.Json.write(payload), name(), this::mmsOutcome);
    }

    /**
     * Where the Messages API posts this message's statuses: the Messages API route beside the SMS
     * API's receipts ({@code .../vonage/status?m=id} → {@code .../vonage/messages/status?m=id}), as
     * its statuses are JSON signed with a JWT, not the SMS API's {@code sig}. It overrides the
     * Vonage application's Status URL for this message.
     */
    static URI messagesStatusUrl(URI statusCallback) {
        String url = statusCallback.toString();
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        if (!path.endsWith("/status")) {
            return statusCallback;
        }
        return URI.create(path.substring(0, path.length() - "status".length()) + "messages/status" + (query < 0 ? "" : url.substring(query)));
    }

    /** The Messages API's message_type for a content type. */
    static String messageType(String contentType) {
        if (contentType == null) {
            return "file";
        }
        if (contentType.startsWith("image/")) {
            return "image";
        }
        if (contentType.startsWith("audio/")) {
            return "audio";
        }
        if (contentType.startsWith("video/")) {
            return "video";
        }
        return contentType.equals("text/vcard") ? "vcard" : "file";
    }

    /** 202 {@code {message_uuid}}; errors are RFC 7807 problems ({@code {type, title, detail}}), sorted by the ladder on their status. */
    private SendOutcome mmsOutcome(HttpResponse<String> response) {
        JsonNode body = ProviderHttp.json(response.body());
        if (ProviderHttp.ok(response)) {
            String uuid = body.path("message_uuid").asText("");
            return uuid.isEmpty() ? new SendOutcome.Unknown("vonage answered " + response.statusCode() + " without a message_uuid")
                    : new SendOutcome.Accepted(uuid, 1, null);
        }
        return LADDER.outcome(ErrorLadder.Refusal.of(response, null, ProviderHttp.text(body.get("detail"),
                ProviderHttp.text(body.get("title"), "vonage answered " + response.statusCode()))));
    }

    private SendOutcome outcome(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode parts = ProviderHttp.json(response.body()).path("messages");
        if (!ProviderHttp.ok(response) || !parts.isArray() || parts.isEmpty()) {
            return LADDER.outcome(ErrorLadder.Refusal.of(response, null, "vonage answered " + status + " without message parts"));
        }
        String firstId = null;
        BigDecimal price = null;
        for (JsonNode part : parts) {
            if ("0".equals(part.path("status").asText())) {
                if (firstId == null) {
                    firstId = part.path("message-id").asText(null);
                }
                BigDecimal partPrice = ProviderHttp.amount(part.get("message-price"));
                if (partPrice != null) {
                    price = price == null ? partPrice : price.add(partPrice);
                }
            }
        }
        if (firstId != null) {
            return new SendOutcome.Accepted(firstId, parts.size(), price);
        }
        JsonNode first = parts.get(0);
        String code = first.path("status").asText("");
        // The first part's status, on the ladder's rungs (an HTTP 200 carries no Retry-After).
        return LADDER.outcome(ErrorLadder.Refusal.of(response, code, ProviderHttp.text(first.get("error-text"), "vonage status " + code)));
    }

    private static String withoutPlus(String number) {
        return number != null && number.startsWith("+") ? number.substring(1) : number;
    }

    /** Vonage's "text" type is GSM-7; anything outside its tables must go as "unicode". */
    private static boolean isGsm(String body) {
        for (int i = 0; i < body.length(); i++) {
            if (!GsmAlphabet.contains(body.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
