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
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 on the local runtime, over HTTP: a picture uploaded with POST /v1/media reaches a US
 * handset as an MMS from a campaign step (the simulated carrier fetched it through its signed
 * URL); to a UK number the same picture falls back to SMS with a short link that redirects to it.
 */
class MmsEndToEndTest {

    /** The smallest PNG: 1x1, one transparent pixel. */
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static HttpResponse<String> call(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + runtime.apiKey());
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode api(String method, String path, String json) throws Exception {
        HttpResponse<String> response = call(method, path, "application/json", json == null ? null : json.getBytes());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return response.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(response.body());
    }

    static JsonNode waitFor(String phone, Predicate<JsonNode> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        JsonNode items = api("GET", "/local/phones/" + phone + "/messages", null).path("items");
        while (!until.test(items) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            items = api("GET", "/local/phones/" + phone + "/messages", null).path("items");
        }
        return items;
    }

    static String upload() throws Exception {
        HttpResponse<String> uploaded = call("POST", "/v1/media", "image/png", PNG);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        JsonNode media = Json.mapper().readTree(uploaded.body());
        assertThat(media.path("contentType").asText()).isEqualTo("image/png");
        assertThat(media.path("size").asLong()).isEqualTo(PNG.length);
        return media.path("id").asText();
    }

    @Test
    void aCampaignStepWithAPictureReachesTheHandsetWithThePicture() throws Exception {
        String media = upload();
        String phone = "+14155550181";
        String contact = api("POST", "/v1/contacts", "{\"phone\":\"" + phone + "\",\"firstName\":\"Ada\","
                + "\"consent\":{\"status\":\"opted_in\",\"source\":\"checkout\",\"proof\":\"Text me offers\"}}").path("id").asText();
        String campaign = api("POST", "/v1/campaigns", """
                {"name": "Picture", "category": "transactional", "trigger": {"event": "ordered"},
                 "steps": [{"id": "show", "send": {"body": "Your order is on its way", "media": [{"id": "%s"}]}}]}"""
                .formatted(media)).path("id").asText();
        api("POST", "/v1/campaigns/" + campaign + "/activate", null);

        api("POST", "/v1/events", "{\"contactId\":\"" + contact + "\",\"name\":\"ordered\"}");

        JsonNode items = waitFor(phone, i -> i.size() > 0);
        assertThat(items).hasSize(1);
        JsonNode received = items.get(0);
        assertThat(received.path("body").asText()).contains("Your order is on its way");
        assertThat(received.path("media")).hasSize(1);
        assertThat(received.path("media").get(0).path("contentType").asText()).isEqualTo("image/png");
        assertThat(received.path("media").get(0).path("size").asLong()).isEqualTo(PNG.length);
        // The URL the carrier fetched is signed and still gives the picture; unsigned, it is refused.
        String url = received.path("media").get(0).path("url").asText();
        HttpResponse<byte[]> picture = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(picture.statusCode()).isEqualTo(200);
        assertThat(picture.body()).isEqualTo(PNG);
        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(url.replaceAll("signature=[0-9a-f]+", "signature=00")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        // The handset page shows it.
        HttpResponse<String> page = call("GET", "/local/handset/" + phone.substring(1), null, null);
        assertThat(page.body()).contains("<img").contains("/media/" + media);
        // Counted apart: an MMS, not SMS segments.
        JsonNode stats = waitForStats(campaign);
        assertThat(stats.path("mms").asLong()).as(stats.toString()).isEqualTo(1);
        assertThat(stats.path("sent").asLong()).isEqualTo(1);
        assertThat(stats.path("segments").asLong()).isZero();
        JsonNode days = api("GET", "/v1/stats/overview?days=2", null).path("days");
        long mmsToday = 0;
        for (JsonNode day : days) {
            mmsToday += day.path("mms").asLong();
        }
        assertThat(mmsToday).isGreaterThanOrEqualTo(1);
    }

    static JsonNode waitForStats(String campaign) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        JsonNode stats = api("GET", "/v1/campaigns/" + campaign + "/stats", null);
        while (stats.path("sent").asLong() == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            stats = api("GET", "/v1/campaigns/" + campaign + "/stats", null);
        }
        return stats;
    }

    @Test
    void aBroadcastWithAPictureReachesEachHandsetWithIt() throws Exception {
        String media = upload();
        String phone = "+14155550183";
        api("POST", "/v1/contacts", "{\"phone\":\"" + phone + "\",\"tags\":[\"pictures\"],"
                + "\"consent\":{\"status\":\"opted_in\",\"source\":\"checkout\",\"proof\":\"Text me offers\"}}");
        api("POST", "/v1/broadcasts", "{\"audience\": {\"tags\": [\"pictures\"]}, \"body\": \"New arrivals\", \"category\": \"transactional\","
                + " \"media\": [{\"id\": \"" + media + "\"}]}");

        JsonNode items = waitFor(phone, i -> i.size() > 0);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("media").get(0).path("url").asText()).contains("/media/" + media);
        HttpResponse<String> unknown = call("POST", "/v1/broadcasts", "application/json", ("{\"audience\": {\"tags\": [\"pictures\"]},"
                + " \"body\": \"x\", \"category\": \"transactional\", \"media\": [{\"id\": \"med_never\"}]}").getBytes());
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("media[0].id");
    }

    @Test
    void aPictureToAUkNumberFallsBackToSmsWithALinkThatRedirectsToIt() throws Exception {
        String media = upload();
        String phone = "+447911123456";
        JsonNode accepted = api("POST", "/v1/messages", """
                {"to": "%s", "body": "Your ticket", "media": [{"id": "%s"}]}""".formatted(phone, media));
        assertThat(accepted.path("status").asText()).isEqualTo("accepted");

        JsonNode items = waitFor(phone, i -> i.size() > 0);
        assertThat(items).hasSize(1);
        JsonNode received = items.get(0);
        assertThat(received.path("media").isMissingNode() || received.path("media").isEmpty()).isTrue();
        Matcher link = Pattern.compile("https?://\\S+/r/([0-9A-Za-z]+)").matcher(received.path("body").asText());
        assertThat(link.find()).as(received.path("body").asText()).isTrue();
        assertThat(received.path("body").asText()).startsWith("Your ticket");

        HttpResponse<String> redirect = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url() + "/r/" + link.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("/media/" + media + "?expires=");
        HttpResponse<byte[]> picture = HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(picture.body()).isEqualTo(PNG);
        assertThat(picture.headers().firstValue("Content-Type")).hasValue("image/png");
    }

    @Test
    void mediaFallbackFailRecordsTheMessageFailedWithTheReason() throws Exception {
        String media = upload();
        JsonNode accepted = api("POST", "/v1/messages", """
                {"to": "+447911123457", "body": "Your ticket", "media": [{"id": "%s"}], "mediaFallback": "fail"}""".formatted(media));
        assertThat(accepted.path("status").asText()).isEqualTo("failed");
        JsonNode message = api("GET", "/v1/messages/" + accepted.path("id").asText(), null);
        assertThat(message.path("errorCode").asText()).isEqualTo("mms_not_carried");
    }

    @Test
    void uploadsAreRefusedByTypeSizeAndContent() throws Exception {
        HttpResponse<String> unsupported = call("POST", "/v1/media", "application/x-msdownload", new byte[] {'M', 'Z'});
        assertThat(unsupported.statusCode()).isEqualTo(415);
        assertThat(unsupported.body()).contains("Content-Type").contains("image/jpeg");
        HttpResponse<String> notAPng = call("POST", "/v1/media", "image/png", "<html>hello</html>".getBytes());
        assertThat(notAPng.statusCode()).isEqualTo(422);
        assertThat(notAPng.body()).contains("is not image/png");
        HttpResponse<String> tooLarge = call("POST", "/v1/media", "image/jpeg", new byte[6 * 1024 * 1024]);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        HttpResponse<String> unknown = call("GET", "/v1/media/med_nothing", null, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void mediaBreakingTheProvidersLimitsIsRefusedNamingIt() throws Exception {
        HttpResponse<String> tooMany = call("POST", "/v1/messages", "application/json", """
                {"to": "+14155550182", "body": "x", "media": [%s]}""".formatted(String.join(",",
                java.util.Collections.nCopies(11, "{\"url\": \"https://cdn.example/a.png\"}"))).getBytes());
        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(tooMany.body()).contains("media").contains("at most 10");
        HttpResponse<String> bad = call("POST", "/v1/messages", "application/json",
                "{\"to\": \"+14155550182\", \"body\": \"x\", \"media\": [{\"url\": \"http://insecure.example/a.png\"}, {\"id\": \"med_gone\"}]}"
                        .getBytes());
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("media[0].url").contains("media[1].id");
    }
}
