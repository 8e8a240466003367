package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A handset sends a picture back, on the local runtime over HTTP: the simulated carrier keeps it
 * on its media host and names it in its signed inbound webhook, Dripline fetches it (as steps
 * work, with the simulator's signature), stores it, and the conversation shows it with a URL that
 * serves the same bytes.
 */
class InboundMmsEndToEndTest {

    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "50"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static HttpResponse<byte[]> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : runtime.url() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + runtime.apiKey());
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    /** The inbound message once its media is no longer pending. */
    private static JsonNode settled(String messageId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        JsonNode m = json(call("GET", "/v1/messages/" + messageId, null));
        while (m.path("media").findValuesAsText("status").contains("pending") && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            m = json(call("GET", "/v1/messages/" + messageId, null));
        }
        return m;
    }

    @Test
    void aHandsetSendsTheSamplePictureAndTheConversationShowsIt() throws Exception {
        HttpResponse<byte[]> sent = call("POST", "/local/phones/+14155550161/reply", "{\"body\":\"Our porch\",\"picture\":\"sample\"}");
        assertThat(sent.statusCode()).isEqualTo(202);
        assertThat(json(sent).path("webhookStatus").asInt()).isEqualTo(204);

        JsonNode message = settled("in_simulator_" + json(sent).path("id").asText());
        assertThat(message.path("body").asText()).isEqualTo("Our porch");
        JsonNode conversation = json(call("GET", "/v1/contacts/" + message.path("contactId").asText() + "/messages", null));
        JsonNode media = conversation.path("items").get(0).path("media").get(0);
        assertThat(media.path("status").asText()).isEqualTo("stored");
        assertThat(media.path("contentType").asText()).isEqualTo("image/png");
        assertThat(media.path("size").asLong()).isEqualTo(SimulatedCarrier.SAMPLE.bytes().length);
        assertThat(media.path("id").asText()).startsWith("med_");
        assertThat(media.has("source")).isFalse();

        HttpResponse<byte[]> picture = call("GET", media.path("url").asText(), null);
        assertThat(picture.statusCode()).isEqualTo(200);
        assertThat(picture.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(picture.body()).isEqualTo(SimulatedCarrier.SAMPLE.bytes());
        // The URL's signature is its last parameter: one more character and it is another, refused (403, as S3 refuses a bad presigned URL).
        assertThat(call("GET", media.path("url").asText() + "0", null).statusCode()).isEqualTo(403);
    }

    @Test
    void aPickedPictureWithoutTextIsAMessageAndTheCarriersMediaHostWantsItsSignature() throws Exception {
        byte[] gif = Base64.getDecoder().decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
        HttpResponse<byte[]> sent = call("POST", "/local/phones/+14155550162/reply",
                "{\"media\":[{\"contentType\":\"image/gif\",\"base64\":\"" + Base64.getEncoder().encodeToString(gif) + "\"}]}");
        assertThat(sent.statusCode()).isEqualTo(202);

        JsonNode message = settled("in_simulator_" + json(sent).path("id").asText());
        assertThat(message.path("body").asText()).isEmpty();
        assertThat(message.path("media").get(0).path("contentType").asText()).isEqualTo("image/gif");
        assertThat(call("GET", message.path("media").get(0).path("url").asText(), null).body()).isEqualTo(gif);
        // Unsigned, the carrier's media host shows nothing (as a provider's wants its credentials).
        assertThat(HTTP.send(HttpRequest.newBuilder(runtime.carrier().mediaUrl("simmed_unknown")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    @Test
    void aHandsetPictureThatIsNoPictureIsRefusedNamingTheField() throws Exception {
        HttpResponse<byte[]> cat = call("POST", "/local/phones/+14155550163/reply", "{\"picture\":\"cat\"}");
        assertThat(cat.statusCode()).isEqualTo(422);
        assertThat(json(cat).path("errors").findValuesAsText("field")).containsExactly("picture");
        HttpResponse<byte[]> page = call("POST", "/local/phones/+14155550163/reply",
                "{\"media\":[{\"contentType\":\"text/html\",\"base64\":\"PGI+aGk8L2I+\"}]}");
        assertThat(page.statusCode()).isEqualTo(422);
        assertThat(json(page).path("errors").findValuesAsText("field")).containsExactly("media[0].contentType");
        assertThat(call("POST", "/local/phones/+14155550163/reply", "{}").statusCode()).isEqualTo(422);
    }
}
