package dev.dripline.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Settings;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Telnyx Messaging v2: {@code POST /v2/messages}, JSON {@code {from, to, text, webhook_url,
 * messaging_profile_id?}}, {@code Authorization: Bearer <API key>}.
 *
 * <p>Answers: 2xx {@code {data: {id, parts, cost: {amount}}}} is accepted; 429 is throttling;
 * error code 40300 ("Blocked due to STOP message") is an opt-out; 401 is retryable (credentials
 * refused); 503 is retryable; 500/502/504 are unknown (no idempotency key, and Telnyx does not
 * say a 500 left nothing behind); other 4xx are permanent with the first error's code.
 */
public final class TelnyxProvider implements SmsProvider {

    static final String BLOCKED_BY_STOP = "40300";

    private final HttpClient http;
    private final Settings.TelnyxSettings settings;
    private final Duration timeout;
    private final URI messagesUrl;

    public TelnyxProvider(HttpClient http, Settings.TelnyxSettings settings, Duration timeout) {
        this.http = http;
        this.settings = settings;
        this.timeout = timeout;
        this.messagesUrl = URI.create(settings.baseUrl() + "/v2/messages");
    }

    @Override
    public String name() {
        return "telnyx";
    }

    @Override
    public SendOutcome send(OutboundSms sms) {
        Map<String, Object> payload = new LinkedHashMap<>();
        String from = ProviderHttp.sender(sms, settings.from());
        if (from != null) {
            payload.put("from", from); // absent: Telnyx picks a number from the messaging profile
        }
        payload.put("to", sms.to());
        payload.put("text", sms.body());
        payload.put("webhook_url", sms.statusCallback().toString());
        if (settings.messagingProfileId() != null) {
            payload.put("messaging_profile_id", settings.messagingProfileId());
        }
        return ProviderHttp.post(http, messagesUrl, timeout, "Bearer " + settings.apiKey(), "application/json", Json.write(payload), name(), this::outcome);
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
        if (status == 429) {
            return new SendOutcome.Retryable("telnyx throttled (429)", ProviderHttp.retryAfter(response));
        }
        if (status >= 500) {
            return ProviderHttp.serverError(name(), response);
        }
        if (status == 401) {
            return new SendOutcome.Retryable("telnyx refused the credentials (401)", Optional.empty());
        }
        JsonNode error = body.path("errors").path(0);
        String code = ProviderHttp.text(error.get("code"), "http_" + status);
        String reason = ProviderHttp.text(error.get("detail"), ProviderHttp.text(error.get("title"), "telnyx answered " + status));
        return new SendOutcome.Permanent(code, reason, BLOCKED_BY_STOP.equals(code));
    }
}
