package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.dripline.json.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What an integrator wires up over HTTP on the local runtime: webhook endpoints and an import of a real export. */
class IntegratorsEndToEndTest {

    private static LocalRuntime runtime;
    private static HttpServer receiver;
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Received(String signature, String body) {
        JsonNode json() {
            return Json.read(body, JsonNode.class);
        }
    }

    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            return body.isEmpty() ? Json.mapper().nullNode() : Json.read(body, JsonNode.class);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/crm", exchange -> {
            RECEIVED.add(new Received(exchange.getRequestHeaders().getFirst("X-Dripline-Signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20",
                "DRIPLINE_API_RATE", "1000", "DRIPLINE_API_BURST", "1000"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
        receiver.stop(0);
    }

    private static Answer send(LocalRuntime on, String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(on.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + on.apiKey());
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private static Answer api(String method, String path, String body) throws Exception {
        return send(runtime, method, path, body, body == null ? null : "application/json");
    }

    private static Received awaitEvent(Predicate<JsonNode> which) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            for (Received r : RECEIVED) {
                if (which.test(r.json())) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such event arrived; got " + RECEIVED);
    }

    @Test
    void anEndpointGetsConsentEventsSignedAndItsDeliveriesCanBeListedAndReplayed() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/crm";
        Answer unknownField = api("POST", "/v1/webhook-endpoints", "{\"url\":\"" + url + "\",\"eventTypes\":[\"contact.opted_out\"],"
                + "\"retries\":3}");
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(unknownField.contentType()).startsWith("application/problem+json");
        assertThat(unknownField.json().path("errors").get(0).path("field").asText()).isEqualTo("retries");

        Answer created = api("POST", "/v1/webhook-endpoints", "{\"url\":\"" + url + "\",\"eventTypes\":[\"contact.opted_in\","
                + "\"contact.opted_out\"],\"description\":\"CRM\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asText();
        String secret = created.json().path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        Answer read = api("GET", "/v1/webhook-endpoints/" + id, null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(secret).doesNotContain("\"secret\"");
        Answer list = api("GET", "/v1/webhook-endpoints?limit=10", null);
        assertThat(list.json().path("items")).anySatisfy(e -> assertThat(e.path("id").asText()).isEqualTo(id));

        // Opted in through the API, out by a STOP from the handset: both reach the endpoint, signed.
        Answer contact = api("POST", "/v1/contacts", "{\"phone\":\"+14155550961\",\"consent\":{\"status\":\"opted_in\","
                + "\"source\":\"web_form\"}}");
        assertThat(contact.status()).isEqualTo(201);
        String contactId = contact.json().path("id").asText();
        Received optedIn = awaitEvent(e -> e.path("type").asText().equals("contact.opted_in")
                && e.path("data").path("contactId").asText().equals(contactId));
        assertThat(validSignature(optedIn, secret)).isTrue();
        assertThat(optedIn.json().path("data").path("source").asText()).isEqualTo("web_form");

        Answer stop = api("POST", "/local/phones/" + URLEncoder.encode("+14155550961", StandardCharsets.UTF_8) + "/reply",
                "{\"body\":\"STOP\"}");
        assertThat(stop.status()).isBetween(200, 299);
        Received optedOut = awaitEvent(e -> e.path("type").asText().equals("contact.opted_out")
                && e.path("data").path("contactId").asText().equals(contactId));
        assertThat(optedOut.json().path("data").path("source").asText()).isEqualTo("keyword");
        assertThat(validSignature(optedOut, secret)).isTrue();

        Answer deliveries = api("GET", "/v1/webhook-endpoints/" + id + "/deliveries", null);
        assertThat(deliveries.status()).isEqualTo(200);
        JsonNode newest = deliveries.json().path("items").get(0);
        assertThat(newest.path("eventType").asText()).isEqualTo("contact.opted_out");
        assertThat(newest.path("eventId").asText()).isEqualTo(optedOut.json().path("id").asText());
        awaitStatus(id, newest.path("id").asText(), "succeeded");

        int before = RECEIVED.size();
        Answer replay = api("POST", "/v1/webhook-endpoints/" + id + "/deliveries/" + newest.path("id").asText() + "/replay", null);
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.json().path("replayOf").asText()).isEqualTo(newest.path("id").asText());
        Instant deadline = Instant.now().plusSeconds(20);
        while (RECEIVED.size() == before && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(RECEIVED.get(RECEIVED.size() - 1).body()).isEqualTo(optedOut.body());

        Answer rotated = api("POST", "/v1/webhook-endpoints/" + id + "/rotate-secret", "{\"overlap\":\"PT1H\"}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().path("secret").asText()).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(rotated.json().path("previousSecretExpiresAt").asText()).isNotEmpty();

        Answer disabled = api("PATCH", "/v1/webhook-endpoints/" + id, "{\"enabled\":false}");
        assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().path("description").asText()).isEqualTo("CRM");
        assertThat(api("DELETE", "/v1/webhook-endpoints/" + id, null).status()).isEqualTo(204);
        assertThat(api("GET", "/v1/webhook-endpoints/" + id, null).status()).isEqualTo(404);
    }

    private static void awaitStatus(String endpointId, String deliveryId, String status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        String seen = null;
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode d : api("GET", "/v1/webhook-endpoints/" + endpointId + "/deliveries", null).json().path("items")) {
                if (d.path("id").asText().equals(deliveryId)) {
                    seen = d.path("status").asText();
                    if (seen.equals(status)) {
                        assertThat(d.path("attempts").get(0).path("statusCode").asInt()).isEqualTo(204);
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("delivery " + deliveryId + " stayed " + seen);
    }

    @Test
    void withPrivateAddressesNotAllowedALoopbackEndpointIsRefusedNamingUrl() throws Exception {
        try (LocalRuntime strict = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_WEBHOOKS_ALLOW_PRIVATE", "false"))) {
            Answer refused = send(strict, "POST", "/v1/webhook-endpoints",
                    "{\"url\":\"http://127.0.0.1:9/hook\",\"eventTypes\":[\"message.inbound\"]}", "application/json");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.json().path("errors")).singleElement().satisfies(e -> {
                assertThat(e.path("field").asText()).isEqualTo("url");
                assertThat(e.path("message").asText()).contains("not a public address");
            });
        }
    }

    @Test
    void aShopifyExportWithMixedCaseHeadersAndCommaTagsImports() throws Exception {
        String csv = String.join("\n",
                "First Name,LAST_NAME,email,Phone,accepts sms marketing,Total Spent,TAGS,Note",
                "Ada,Lovelace,ada@example.com,+15125550971,yes,120.50,\"vip, newsletter\",call me",
                "Bob,Stone,bob@example.com,+15125550972,no,0,,",
                "");
        Answer refused = send(runtime, "POST", "/v1/imports", csv, "text/csv");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("errors")).singleElement().satisfies(e -> {
            assertThat(e.path("field").asText()).isEqualTo("columns");
            assertThat(e.path("message").asText()).contains("'Total Spent'", "'Note'");
        });

        Answer accepted = send(runtime, "POST", "/v1/imports?unknownColumns=attributes&mapping="
                + URLEncoder.encode("Note=ignore", StandardCharsets.UTF_8), csv, "text/csv");
        assertThat(accepted.status()).isEqualTo(202);
        String importId = accepted.json().path("id").asText();
        JsonNode status = null;
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            status = api("GET", "/v1/imports/" + importId, null).json();
            if ("completed".equals(status.path("status").asText())) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(status.path("created").asInt()).isEqualTo(2);

        JsonNode ada = api("GET", "/v1/contacts?phone=" + URLEncoder.encode("+15125550971", StandardCharsets.UTF_8), null)
                .json().path("items").get(0);
        assertThat(ada.path("firstName").asText()).isEqualTo("Ada");
        assertThat(ada.path("lastName").asText()).isEqualTo("Lovelace");
        List<String> tags = new ArrayList<>();
        ada.path("tags").forEach(t -> tags.add(t.asText()));
        assertThat(tags).containsExactly("vip", "newsletter");
        assertThat(ada.path("attributes").has("totalSpent")).isTrue();
        assertThat(ada.path("attributes").has("note")).isFalse();
        assertThat(ada.path("consent").asText()).isEqualTo("opted_in");
        JsonNode ledger = api("GET", "/v1/contacts/" + ada.path("id").asText() + "/consent", null).json().path("items");
        assertThat(ledger).singleElement().satisfies(entry -> {
            assertThat(entry.path("source").asText()).isEqualTo("csv_import:" + importId);
            assertThat(entry.path("proof").asText()).contains("accepts sms marketing", "yes");
        });
        JsonNode bob = api("GET", "/v1/contacts?phone=" + URLEncoder.encode("+15125550972", StandardCharsets.UTF_8), null)
                .json().path("items").get(0);
        assertThat(bob.path("consent").asText()).isEqualTo("opted_out");
    }

    /** The receiver's check: any v1 in the header is HMAC-SHA256(secret, t + "." + body). */
    private static boolean validSignature(Received r, String secret) throws Exception {
        String t = r.signature().replaceAll("^t=(\\d+),.*$", "$1");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        for (String part : r.signature().split(",")) {
            if (part.equals("v1=" + expected)) {
                return true;
            }
        }
        return false;
    }
}
