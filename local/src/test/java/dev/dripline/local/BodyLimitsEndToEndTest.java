package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import dev.dripline.webhooks.SimulatorSignature;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every body is held to its route's limit however it is framed, and text fields to theirs, before anything is stored. */
class BodyLimitsEndToEndTest {

    private static final String SECRET = "body-limits-simulator-secret-0123456789";
    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_SECRET", SECRET));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** A body sent without a Content-Length: the client streams it chunked. */
    private static HttpResponse<String> chunked(String path, String body, Map<String, String> headers) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        headers.forEach(r::header);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> sized(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(r::header);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + runtime.apiKey());
    }

    private static Map<String, String> signed(String path, String body) {
        String url = runtime.url() + path;
        return Map.of(SimulatorSignature.HEADER, SimulatorSignature.sign(SECRET, runtime.clock().instant(), url, body));
    }

    private static String inbound(String id, String from, String text) {
        return Json.write(Map.of("id", id, "from", from, "to", "+18335550100", "body", text, "at", runtime.clock().instant().toString()));
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        for (int size : new int[] {200_000, 3_000_000}) {
            HttpResponse<String> r = chunked("/v1/contacts", "{\"phone\":\"+14155550801\",\"firstName\":\"" + "x".repeat(size) + "\"}", auth());
            assertThat(r.statusCode()).as("%d bytes", size).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
        assertThat(runtime.dripline().contacts().byPhone("+14155550801")).isEmpty();
        // On a new connection: the refused uploads' connections are closed by the server mid-body.
        byte[] smallBody = "{\"phone\":\"+14155550802\",\"firstName\":\"Ada\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder smallRequest = HttpRequest.newBuilder(URI.create(runtime.url() + "/v1/contacts")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(smallBody)));
        auth().forEach(smallRequest::header);
        // A 503 says "try again" by definition: under a loaded CI machine the server has answered one
        // (empty, from the Netty layer) while it was still discarding the refused 3 MB; a client retries it.
        HttpResponse<String> small = HttpClient.newHttpClient().send(smallRequest.build(), HttpResponse.BodyHandlers.ofString());
        for (int attempt = 1; small.statusCode() == 503 && attempt <= 3; attempt++) {
            Thread.sleep(500L * attempt);
            small = HttpClient.newHttpClient().send(smallRequest.build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
    }

    @Test
    void aSignedWebhookOverTheLimitCreatesNoContact() throws Exception {
        String path = "/webhooks/simulator/inbound";
        for (int size : new int[] {200_000, 500_000, 2_000_000}) {
            String from = "+1415555" + (size == 200_000 ? "0811" : size == 500_000 ? "0812" : "0813");
            String body = inbound("big" + size, from, "y".repeat(size));
            assertThat(chunked(path, body, signed(path, body)).statusCode()).as("%d bytes chunked", size).isEqualTo(413);
            assertThat(sized(path, body, signed(path, body)).statusCode()).as("%d bytes with a length", size).isEqualTo(413);
            assertThat(runtime.dripline().contacts().byPhone(from)).as("contact for %d bytes", size).isEmpty();
        }
    }

    @Test
    void anInboundTextLongerThanAnSmsIs422AndCreatesNoContact() throws Exception {
        String path = "/webhooks/simulator/inbound";
        String body = inbound("long1", "+14155550821", "z".repeat(5_000));
        HttpResponse<String> r = sized(path, body, signed(path, body));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(Json.read(r.body(), JsonNode.class).path("errors").findValuesAsText("field")).containsExactly("body");
        assertThat(runtime.dripline().contacts().byPhone("+14155550821")).isEmpty();
    }

    @Test
    void contactTextFieldsHaveLimitsNamedInThe422() throws Exception {
        String body = Json.write(Map.of("phone", "+14155550831", "firstName", "a".repeat(300), "lastName", "b".repeat(257),
                "email", "c".repeat(300) + "@example.com", "consent", Map.of("status", "opted_in", "source", "web", "proof", "p".repeat(2001))));
        HttpResponse<String> r = sized("/v1/contacts", body, auth());
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(Json.read(r.body(), JsonNode.class).path("errors").findValuesAsText("field"))
                .contains("firstName", "lastName", "email", "consent.proof");
        assertThat(runtime.dripline().contacts().byPhone("+14155550831")).isEmpty();
    }
}
