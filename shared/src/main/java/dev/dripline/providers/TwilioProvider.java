package dev.dripline.providers;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Twilio Programmable Messaging: {@code POST /2010-04-01/Accounts/{sid}/Messages.json}, form
 * fields {@code To, From and/or MessagingServiceSid, Body, StatusCallback}, HTTP Basic with the account SID and auth token.
 * An MMS adds one {@code MediaUrl} field per media (repeated, up to 10; Body is then optional).
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
    private static final ErrorLadder LADDER = ErrorLadder.of("twilio").throttledOn(TOO_MANY_REQUESTS).optedOutOn(OPTED_OUT);

    private final HttpClient http;
    private final TwilioSettings settings;
    private final Duration timeout;
    private final URI messagesUrl;

    public TwilioProvider(HttpClient http, TwilioSettings settings, Duration timeout) {
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
        if (!sms.isMms() || !sms.body().isEmpty()) {
            form.put("Body", sms.body());
        }
        form.put("StatusCallback", sms.statusCallback().toString());
        String body = ProviderHttp.form(form) + ProviderHttp.repeated("MediaUrl",
                sms.media().stream().map(m -> m.url().toString()).toList());
        return ProviderHttp.post(http, messagesUrl, timeout, ProviderHttp.basicAuth(settings.accountSid(), settings.authToken().reveal()), "application/x-www-form-urlencoded", body, name(), this::outcome);
    }

    /** How far Twilio's {@code date_created} may lag or lead the moment we called (clocks differ). */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(2);

    /**
     * Looks the message up in Twilio's Message list, {@code GET .../Messages.json?To=&From=}: the
     * newest first. Found: a message to the same number with the same body created since the call
     * (less {@link #CLOCK_SLACK}). Proved unsent: none such, and the page reaches back past the
     * call (or is the last page). No {@code DateSent} filter: a message Twilio still holds in its
     * queue has no date_sent yet and would be missed, and then sent twice.
     */
    @Override
    public SendLookup lookup(OutboundSms sms, Instant calledAt) {
        String query = "To=" + encode(sms.to()) + "&From=" + encode(ProviderHttp.sender(sms, settings.from())) + "&PageSize=50";
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(messagesUrl + "?" + query))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Authorization", ProviderHttp.basicAuth(settings.accountSid(), settings.authToken().reveal()))
                .GET().build();
        ProviderHttp.Answer answer = ProviderHttp.exchange(http, request, name());
        if (!answer.answered()) {
            return new SendLookup.Undetermined("twilio's message list did not answer", true);
        }
        if (!ProviderHttp.ok(answer.response())) {
            return new SendLookup.Undetermined("twilio's message list answered " + answer.response().statusCode(), true);
        }
        JsonNode page = ProviderHttp.json(answer.response().body());
        JsonNode messages = page.path("messages");
        if (!messages.isArray()) {
            return new SendLookup.Undetermined("twilio's message list had no messages array", true);
        }
        Instant from = calledAt.minus(CLOCK_SLACK);
        boolean reachesBack = page.path("next_page_uri").isNull() || page.path("next_page_uri").isMissingNode();
        for (JsonNode m : messages) {
            Instant created = created(m);
            if (created != null && created.isBefore(from)) {
                reachesBack = true;
                continue;
            }
            if (sms.to().equals(m.path("to").asText()) && sms.body().equals(m.path("body").asText())) {
                return new SendLookup.Found(new SendOutcome.Accepted(m.path("sid").asText(),
                        ProviderHttp.integer(m.get("num_segments")), ProviderHttp.amount(m.get("price"))));
            }
        }
        return reachesBack ? new SendLookup.NotSent("no such message in twilio's list since " + from)
                : new SendLookup.Undetermined("twilio's first page does not reach back to the call", true);
    }

    /** Twilio's dates are RFC 2822 ({@code Thu, 03 Dec 2026 09:30:00 +0000}). */
    private static Instant created(JsonNode message) {
        String text = message.path("date_created").asText("");
        try {
            return java.time.ZonedDateTime.parse(text, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (java.time.format.DateTimeParseException notADate) {
            return null;
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
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
        return LADDER.outcome(ErrorLadder.Refusal.of(response, ProviderHttp.text(body.get("code"), null),
                ProviderHttp.text(body.get("message"), "twilio answered " + status)));
    }
}
