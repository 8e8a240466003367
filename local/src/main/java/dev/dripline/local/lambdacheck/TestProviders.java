package dev.dripline.local.lambdacheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The test credentials the lambda check gives the functions (through the template's
 * <Provider>SecretArn parameters and a local Secrets Manager), and the providers' signatures
 * over the sample webhook events of events/ made with them. Written from the providers' docs
 * (see the handbook's PROVIDERS.md), independently of the code under test.
 * <ul>
 * <li>Twilio: X-Twilio-Signature = base64(HMAC-SHA1(authToken, URL + each POST param sorted by name, name then value)).
 * <li>Plivo: X-Plivo-Signature-V3 = base64(HMAC-SHA256(authToken, U + "." + nonce)), U = base URL + "?" + the query's
 *     sorted k=v joined by &amp; + "." + sorted body key+value (without a query: "?" + sorted key+value).
 * <li>Telnyx: telnyx-signature-ed25519 = base64(Ed25519(private key, timestamp + "|" + raw body)).
 * </ul>
 * Twilio's and Plivo's signatures carry no time: the events hold them and the check verifies
 * they are still right. Telnyx's expire after 300 s: the check signs its events again with the
 * current time before sending them.
 */
final class TestProviders {

    static final String TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String TWILIO_AUTH_TOKEN = "lambda-check-twilio-auth-token";
    static final String PLIVO_AUTH_ID = "MAEXAMPLELAMBDACHECK01";
    static final String PLIVO_AUTH_TOKEN = "lambda-check-plivo-auth-token";
    static final String TELNYX_API_KEY = "KEYLAMBDACHECK0123456789";
    /** A test key pair made for this check only: the public half, raw 32 bytes. */
    static final String TELNYX_PUBLIC_KEY = "961aD9KnzE4gumjA01VqmjpoQqqrnociFnTMOmvEMUI=";
    private static final String TELNYX_PRIVATE_KEY_PKCS8 = "MC4CAQAwBQYDK2VwBCIEIFVbhaLDVsifDCeDJMI9AQlRjSKS1J83/hX3v+imaOvf";

    private TestProviders() {
    }

    /** The secrets' JSON per template parameter, in the shapes dev.dripline.secrets.SecretValues reads. */
    static Map<String, String> secrets() {
        return Map.of(
                "TwilioSecretArn", "{\"accountSid\":\"" + TWILIO_ACCOUNT_SID + "\",\"authToken\":\"" + TWILIO_AUTH_TOKEN + "\"}",
                "PlivoSecretArn", "{\"authId\":\"" + PLIVO_AUTH_ID + "\",\"authToken\":\"" + PLIVO_AUTH_TOKEN + "\"}",
                "TelnyxSecretArn", "{\"apiKey\":\"" + TELNYX_API_KEY + "\",\"publicKey\":\"" + TELNYX_PUBLIC_KEY + "\"}");
    }

    /** Which provider signs an event, from its path; empty for others. */
    static String provider(JsonNode event) {
        String path = event.path("rawPath").asText("");
        for (String p : List.of("twilio", "plivo", "telnyx")) {
            if (path.startsWith("/webhooks/" + p + "/")) {
                return p;
            }
        }
        return "";
    }

    /** The event with the signature headers these credentials give (Telnyx: for {@code now}). */
    static ObjectNode signed(JsonNode original, Instant now) {
        ObjectNode event = original.deepCopy();
        ObjectNode headers = event.with("headers");
        String body = rawBody(event);
        String url = url(event);
        switch (provider(event)) {
            case "twilio" -> headers.put("x-twilio-signature", base64(hmac("HmacSHA1", TWILIO_AUTH_TOKEN,
                    url + sorted(form(body)).stream().map(e -> e.getKey() + e.getValue()).collect(Collectors.joining()))));
            case "plivo" -> {
                String nonce = headers.path("x-plivo-signature-v3-nonce").asText();
                String signature = base64(hmac("HmacSHA256", PLIVO_AUTH_TOKEN, plivoUrl(url, form(body)) + "." + nonce));
                headers.put("x-plivo-signature-v3", signature);
                headers.put("x-plivo-signature-ma-v3", signature);
            }
            case "telnyx" -> {
                String timestamp = Long.toString(now.getEpochSecond());
                headers.put("telnyx-timestamp", timestamp);
                headers.put("telnyx-signature-ed25519", ed25519(timestamp + "|" + body));
            }
            default -> {
            }
        }
        return event;
    }

    /**
     * Writes the signatures into the provider events of a directory ({@code lambda-check --sign-events events}),
     * Telnyx's for the time in the event's requestContext. Run after editing such an event.
     */
    static void signEvents(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode event = Json.mapper().readTree(file.toFile());
                if (!provider(event).isEmpty()) {
                    Instant at = Instant.ofEpochMilli(event.path("requestContext").path("timeEpoch").asLong());
                    Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(signed(event, at)) + "\n");
                    System.out.println("signed " + file);
                }
            }
        }
    }

    static String rawBody(JsonNode event) {
        String body = event.path("body").asText("");
        return event.path("isBase64Encoded").asBoolean() ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }

    /** The URL the provider called, as API Gateway saw it: https, the Host header, the path and the raw query. */
    static String url(JsonNode event) {
        String query = event.path("rawQueryString").asText("");
        return "https://" + event.path("headers").path("host").asText() + event.path("rawPath").asText() + (query.isEmpty() ? "" : "?" + query);
    }

    private static String plivoUrl(String url, List<Map.Entry<String, String>> body) {
        URI u = URI.create(url);
        String base = u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath();
        String fields = sorted(body).stream().map(e -> e.getKey() + e.getValue()).collect(Collectors.joining());
        if (u.getRawQuery() == null) {
            return base + (fields.isEmpty() ? "" : "?" + fields);
        }
        String query = sorted(form(u.getRawQuery())).stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        return base + "?" + query + (fields.isEmpty() ? "" : "." + fields);
    }

    private static List<Map.Entry<String, String>> form(String body) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(new AbstractMap.SimpleEntry<>(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static List<Map.Entry<String, String>> sorted(List<Map.Entry<String, String>> entries) {
        return entries.stream().sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue(Comparator.naturalOrder())))
                .toList();
    }

    private static byte[] hmac(String algorithm, String key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ed25519(String data) {
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(TELNYX_PRIVATE_KEY_PKCS8)));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(data.getBytes(StandardCharsets.UTF_8));
            return base64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
