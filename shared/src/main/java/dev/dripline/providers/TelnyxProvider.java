package dev.dripline.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Telnyx Messaging v2: {@code POST /v2/messages}, JSON {@code {from, to, text, webhook_url,
 * messaging_profile_id?}}, {@code Authorization: Bearer <API key>}. An MMS adds {@code media_urls}
 * (up to 10, fetched by Telnyx at send time) and {@code type: "MMS"}.
 *
 * <p>Answers: 2xx {@code {data: {id, parts, cost: {amount}}}} is accepted; 429 is throttling;
 * error code 40300 ("Blocked due to STOP message") is an opt-out; 401 is retryable (credentials
 * refused); 503 is retryable; other 4xx are permanent with the first error's code.
 *
 * <p>Every send carries {@code Idempotency-Key: <message id>}: Telnyx replays the first
 * successful answer to the same key, method, path and byte-identical body for 24 hours, so a
 * 500, a timeout or a reset is retried here with the same key and body (it cannot send twice),
 * and, still unanswered, is unknown; the sender's lookup then sends it again with the same key.
 * Past 24 hours the key may be forgotten: no lookup then.
 */
public final class TelnyxProvider implements SmsProvider {

    static final String BLOCKED_BY_STOP = "40300";
    private static final ErrorLadder LADDER = ErrorLadder.of("telnyx").optedOutOn(BLOCKED_BY_STOP);

    private final HttpClient http;
    private final TelnyxSettings settings;
    private final Duration timeout;
    private final URI messagesUrl;

    public TelnyxProvider(HttpClient http, TelnyxSettings settings, Duration timeout) {
        this.http = http;
        this.settings = settings;
        this.timeout = timeout;
        this.messagesUrl = URI.create(settings.baseUrl() + "/v2/messages");
    }

    @Override
    public String name() {
        return "telnyx";
    }

    /** How long Telnyx keeps an idempotency key, less a margin for clocks. */
    static final Duration KEY_KEPT = Duration.ofHours(23);
    /** The pause before the one in-place retry after an unanswered call. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(300);

    @Override
    public SendOutcome send(OutboundSms sms) {
        SendOutcome first = sendOnce(sms);
        if (!(first instanceof SendOutcome.Unknown)) {
            return first;
        }
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return first;
        }
        SendOutcome second = sendOnce(sms);
        // A retry turned away (429, 503, no connection) says nothing about the first call.
        return second instanceof SendOutcome.Accepted || second instanceof SendOutcome.Permanent ? second : first;
    }

    /** Sends again under the same key: Telnyx answers the first send's result, or sends it once now. */
    @Override
    public SendLookup lookup(OutboundSms sms, java.time.Instant calledAt) {
        if (sms.isMms()) {
            // The replay needs a byte-identical body, and an MMS's media URLs are signed anew for each call.
            return new SendLookup.Undetermined("telnyx replays only an identical body; an MMS's signed media URLs differ", false);
        }
        if (java.time.Instant.now().isAfter(calledAt.plus(KEY_KEPT))) {
            return new SendLookup.Undetermined("telnyx keeps idempotency keys 24 h; this call is older", false);
        }
        SendOutcome again = sendOnce(sms);
        if (again instanceof SendOutcome.Accepted || again instanceof SendOutcome.Permanent) {
            return new SendLookup.Found(again);
        }
        return new SendLookup.Undetermined(again instanceof SendOutcome.Retryable r ? r.reason() : ((SendOutcome.Unknown) again).reason(),
                true);
    }

    private SendOutcome sendOnce(OutboundSms sms) {
        Map<String, Object> payload = new LinkedHashMap<>();
        String from = ProviderHttp.sender(sms, settings.from());
        if (from != null) {
            payload.put("from", from); // absent: Telnyx picks a number from the messaging profile
        }
        payload.put("to", sms.to());
        if (!sms.isMms() || !sms.body().isEmpty()) {
            payload.put("text", sms.body());
        }
        if (sms.isMms()) {
            payload.put("media_urls", sms.media().stream().map(m -> m.url().toString()).toList());
            payload.put("type", "MMS");
        }
        payload.put("webhook_url", sms.statusCallback().toString());
        if (settings.messagingProfileId() != null) {
            payload.put("messaging_profile_id", settings.messagingProfileId());
        }
        return ProviderHttp.post(http, messagesUrl, timeout, "Bearer " + settings.apiKey().reveal(), "application/json", Json.write(payload),
                Map.of("Idempotency-Key", sms.messageId()), name(), this::outcome);
    }

    private SendOutcome outcome(HttpResponse<String> response) {
        JsonNode body = ProviderHttp.json(response.body());
        int status = response.statusCode();
        if (ProviderHttp.ok(response)) {
            JsonNode data = body.path("data");
            String id = data.path("id").asText("");
            if (id.isEmpty()) {
                return new SendOutcome.Unknown("telnyx answered " + status + " without data.id");
            }
            return new SendOutcome.Accepted(id, ProviderHttp.integer(data.get("parts")), ProviderHttp.amount(data.path("cost").get("amount")));
        }
        // A 500 is unknown here too (send() repeats it under the same Idempotency-Key, which is safe).
        JsonNode error = body.path("errors").path(0);
        return LADDER.outcome(ErrorLadder.Refusal.of(response, ProviderHttp.text(error.get("code"), null),
                ProviderHttp.text(error.get("detail"), ProviderHttp.text(error.get("title"), "telnyx answered " + status))));
    }
}
