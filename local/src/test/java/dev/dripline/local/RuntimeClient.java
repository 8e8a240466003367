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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An end-to-end test's hands on a running local runtime: the API with the runtime's key, and the
 * simulated handsets (a text sent through the signed inbound webhook, the texts a handset received).
 */
final class RuntimeClient {

    /** An API answer: its status and its JSON (null node for an empty body). */
    record Answer(int status, JsonNode json) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final LocalRuntime runtime;

    RuntimeClient(LocalRuntime runtime) {
        this.runtime = runtime;
    }

    Answer call(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + runtime.apiKey());
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(response.body()));
    }

    /** A call that must succeed (2xx): its JSON. */
    JsonNode api(String method, String path, String body) throws Exception {
        Answer a = call(method, path, body);
        assertThat(a.status()).as(method + " " + path + ": " + a.json()).isLessThan(300);
        return a.json();
    }

    /** The handset texts Dripline: the simulated carrier posts it to the signed inbound webhook. */
    void text(String phone, String body) throws Exception {
        JsonNode reply = api("POST", "/local/phones/" + phone + "/reply", Json.write(Map.of("body", body)));
        assertThat(reply.path("webhookStatus").asInt()).as("the signed webhook took it").isEqualTo(204);
    }

    /** The bodies a handset has received, oldest first. */
    List<String> received(String phone) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (JsonNode m : api("GET", "/local/phones/" + phone + "/messages", null).path("items")) {
            if ("outbound".equals(m.path("direction").asText())) {
                bodies.add(m.path("body").asText());
            }
        }
        return bodies;
    }

    /** What a handset has received once {@code until} holds, or after 20 s. */
    List<String> await(String phone, Predicate<List<String>> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        List<String> bodies = received(phone);
        while (!until.test(bodies) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            bodies = received(phone);
        }
        return bodies;
    }
}
