package dev.dripline.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the HTTP adapters share: one exchange whose transport failures go to {@link ErrorLadder#noAnswer},
 * and the small codecs they all use.
 */
final class ProviderHttp {

    private ProviderHttp() {
    }

    /** A provider's HTTP answer, or the outcome that stands for the answer that never came. */
    record Answer(HttpResponse<String> response, SendOutcome noAnswer) {
        boolean answered() {
            return response != null;
        }
    }

    /** The number to send from: the message's own (a reply keeps it), else the provider's configured one. */
    static String sender(OutboundSms sms, String configured) {
        return sms.from() == null || sms.from().isBlank() ? configured : sms.from();
    }

    /**
     * POSTs a provider's send request and maps the answer with {@code outcome}; no answer at all
     * is mapped by what the failure says about whether the request left ({@link #exchange}).
     *
     * @param authorization the Authorization header, or null where credentials travel in the body
     */
    static SendOutcome post(HttpClient http, URI url, Duration timeout, String authorization, String contentType, String body,
                            String provider, Function<HttpResponse<String>, SendOutcome> outcome) {
        return post(http, url, timeout, authorization, contentType, body, Map.of(), provider, outcome);
    }

    /** {@link #post} with extra request headers (an idempotency key). */
    static SendOutcome post(HttpClient http, URI url, Duration timeout, String authorization, String contentType, String body,
                            Map<String, String> headers, String provider, Function<HttpResponse<String>, SendOutcome> outcome) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        Answer answer = exchange(http, request.build(), provider);
        return answer.answered() ? outcome.apply(answer.response()) : answer.noAnswer();
    }

    static Answer exchange(HttpClient http, HttpRequest request, String provider) {
        try {
            return new Answer(http.send(request, HttpResponse.BodyHandlers.ofString()), null);
        } catch (IOException noAnswer) {
            return new Answer(null, ErrorLadder.noAnswer(provider, noAnswer));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, new SendOutcome.Unknown("interrupted while waiting for " + provider));
        }
    }

    static boolean ok(HttpResponse<?> response) {
        return response.statusCode() >= 200 && response.statusCode() < 300;
    }

    /** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(ProviderHttp::retryAfter);
    }

    static Optional<Duration> retryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    static String basicAuth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** One field repeated per value ({@code MediaUrl=a&MediaUrl=b}), to append to a form; empty for none. */
    static String repeated(String name, java.util.List<String> values) {
        return values.stream().map(v -> "&" + encode(name) + "=" + encode(v)).collect(Collectors.joining());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The body as JSON; an empty object for an empty or non-JSON body (a proxy's HTML page). */
    static JsonNode json(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
            return node == null ? Json.mapper().createObjectNode() : node;
        } catch (IOException notJson) {
            return Json.mapper().createObjectNode();
        }
    }

    /** A number the provider sent as a JSON number or a string; null when absent or not a number. */
    static Integer integer(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return node.isNumber() ? node.asInt() : Integer.valueOf(node.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A price as an absolute amount (Twilio reports charges as negative numbers). */
    static BigDecimal amount(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.asText().isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(node.asText().trim()).abs();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String text(JsonNode node, String fallback) {
        return node == null || node.isNull() || node.isMissingNode() || node.asText().isBlank() ? fallback : node.asText();
    }
}
