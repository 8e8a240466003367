package dev.dripline.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio Programmable Messaging: {@code POST /2010-04-01/Accounts/{sid}/Messages.json}, form
 * fields {@code To, From and/or MessagingServiceSid, Body, StatusCallback}, HTTP Basic with the account SID and auth token.
 *
 * <p>Answers: 201 {@code {sid, num_segments, price}} is accepted; 429 or error 20429 is
 * throttling (Retry-After honoured); 21610 (the recipient replied STOP) is an opt-out; 401
 * (credentials refused: nothing can be sent with them) is retryable so another provider takes
 * over; 503 is retryable; 500/502/504 are unknown: Twilio's 500 means it "couldn't return the
 * representation", which can happen after the Message resource was created, and Messages has no
 * idempotency key; other 4xx are permanent with Twilio's code.
 */
public final class TwilioProvider implements SmsProvider {

    static final String OPTED_OUT = "21610";
    static final String TOO_MANY_REQUESTS = "20429";

    private final HttpClient http;
    private final Settings.TwilioSettings settings;
    private final Duration timeout;
    private final URI messagesUrl;

    public TwilioProvider(HttpClient http, Settings.TwilioSettings settings, Duration timeout) {
        this.http = http;
        this.settings = settings;
        this.timeout = timeout;
        this.messagesUrl = URI.create(settings.baseUrl() + "/2010-04-01/Accounts/" + settings.accountSid() + "/Messages.json");
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    public SendOutcome send(OutboundSms sms) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", sms.to());
        String from = ProviderHttp.sender(sms, settings.from());
        if (from != null) {
            form.put("From", from);
        }
        if (settings.messagingServiceSid() != null) {
            // Twilio picks the sender from the service's pool, or checks that From belongs to it.
            form.put("MessagingServiceSid", settings.messagingServiceSid());
        }
        form.put("Body", sms.body());
        form.put("StatusCallback", sms.statusCallback().toString());
        return ProviderHttp.post(http, messagesUrl, timeout, ProviderHttp.basicAuth(settings.accountSid(), settings.authToken()), "application/x-www-form-urlencoded", ProviderHttp.form(form), name(), this::outcome);
    }

    private SendOutcome outcome(HttpResponse<String> response) {
        JsonNode body = ProviderHttp.json(response.body());
        int status = response.statusCode();
        if (ProviderHttp.ok(response)) {
            String sid = body.path("sid").asText("");
            if (sid.isEmpty()) {
                return new SendOutcome.Unknown("twilio answered " + status + " without a message sid");
            }
            return new SendOutcome.Accepted(sid, ProviderHttp.integer(body.get("num_segments")), ProviderHttp.amount(body.get("price")));
        }
        String code = ProviderHttp.text(body.get("code"), null);
        String message = ProviderHttp.text(body.get("message"), "twilio answered " + status);
        if (status == 429 || TOO_MANY_REQUESTS.equals(code)) {
            return new SendOutcome.Retryable("twilio throttled (" + status + ")", ProviderHttp.retryAfter(response));
        }
        if (status >= 500) {
            return ProviderHttp.serverError(name(), response);
        }
        if (status == 401) {
            return new SendOutcome.Retryable("twilio refused the credentials (401)", Optional.empty());
        }
        return new SendOutcome.Permanent(code == null ? "http_" + status : code, message, OPTED_OUT.equals(code));
    }
}
