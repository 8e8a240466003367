package dev.dripline.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Plivo: {@code POST /v1/Account/{auth_id}/Message/}, JSON {@code {src, dst, text, url,
 * method}}, HTTP Basic with the auth ID and token. An MMS is {@code type: "mms"} with {@code media_urls}
 * (the URLs Plivo fetches; {@code media_ids}, for media uploaded to Plivo's own store, is not used:
 * Dripline keeps media itself and hands Plivo a signed URL).
 *
 * <p>Answers: 202 {@code {message_uuid: [..]}} is accepted (the first UUID; Plivo reports parts
 * and price only in its callbacks); 429 is throttling; 401 is retryable (credentials refused,
 * another provider can send); 503 is retryable; 500/502/504 are unknown (Plivo documents no
 * "not processed" guarantee for them and has no idempotency key); other 4xx are permanent.
 * Plivo reports a blocked recipient mostly in the delivery callback (error 200: STOP from the
 * destination; 950: India DND). Where the send API itself refuses for that reason, its answer
 * carries only an {@code error} text, so an error code 200/950 or wording about opt-out, STOP,
 * DND or a blocked destination marks the recipient as opted out.
 */
public final class PlivoProvider implements SmsProvider {

    private static final Pattern OPT_OUT_WORDING = Pattern.compile(
            "opted[ _-]?out|\\bstop\\b|\\bdnd\\b|do not disturb|unsubscribed|blocked", Pattern.CASE_INSENSITIVE);
    private static final ErrorLadder LADDER = ErrorLadder.of("plivo")
            .optedOutWhen(r -> "200".equals(r.code()) || "950".equals(r.code()) || optedOutWording(r.reason()));

    private final HttpClient http;
    private final PlivoSettings settings;
    private final Duration timeout;
    private final URI messagesUrl;

    public PlivoProvider(HttpClient http, PlivoSettings settings, Duration timeout) {
        this.http = http;
        this.settings = settings;
        this.timeout = timeout;
        this.messagesUrl = URI.create(settings.baseUrl() + "/v1/Account/" + settings.authId() + "/Message/");
    }

    @Override
    public String name() {
        return "plivo";
    }

    @Override
    public SendOutcome send(OutboundSms sms) {
        Map<String, Object> payload = new LinkedHashMap<>();
        String from = ProviderHttp.sender(sms, settings.from());
        if (from != null) {
            payload.put("src", from);
        } else {
            // Plivo picks the number from the Powerpack; it refuses src and powerpack_uuid together.
            payload.put("powerpack_uuid", settings.powerpackUuid());
        }
        payload.put("dst", sms.to());
        payload.put("text", sms.body());
        if (sms.isMms()) {
            payload.put("type", "mms");
            payload.put("media_urls", sms.media().stream().map(m -> m.url().toString()).toList());
        }
        payload.put("url", sms.statusCallback().toString());
        payload.put("method", "POST");
        return ProviderHttp.post(http, messagesUrl, timeout, ProviderHttp.basicAuth(settings.authId(), settings.authToken().reveal()), "application/json", Json.write(payload), name(), this::outcome);
    }

    private SendOutcome outcome(HttpResponse<String> response) {
        JsonNode body = ProviderHttp.json(response.body());
        int status = response.statusCode();
        if (ProviderHttp.ok(response)) {
            String uuid = body.path("message_uuid").path(0).asText("");
            if (uuid.isEmpty()) {
                return new SendOutcome.Unknown("plivo answered " + status + " without a message_uuid");
            }
            return new SendOutcome.Accepted(uuid, null, null);
        }
        String error = ProviderHttp.text(body.get("error"), "plivo answered " + status);
        // Plivo's send API mostly gives words, not a code: an opt-out told in words gets a code of its own.
        String code = ProviderHttp.text(body.get("error_code"), optedOutWording(error) ? "opted_out" : null);
        return LADDER.outcome(ErrorLadder.Refusal.of(response, code, error));
    }

    private static boolean optedOutWording(String error) {
        return OPT_OUT_WORDING.matcher(error).find();
    }
}
