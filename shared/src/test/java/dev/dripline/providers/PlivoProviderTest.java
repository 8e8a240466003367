package dev.dripline.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.config.Secret;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlivoProviderTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @RegisterExtension
    final ProviderStub plivo = ProviderStub.start();

    private PlivoProvider provider(URI base) {
        return new PlivoProvider(http, new PlivoSettings("MAXXXXXXXXXXXXXXXXXX", "plivo-token", "+14155550199", base),
                Duration.ofMillis(500));
    }

    private SendOutcome send() {
        return provider(plivo.url()).send(TwilioProviderTest.SMS);
    }

    @Test
    void postsJsonToTheAccountsMessageResourceWithBasicAuth() {
        plivo.answer(202, """
                {"api_id":"db342550-7f1d-11e1-8ea7-1231380bc196","message":"message(s) queued",
                 "message_uuid":["db3ce55a-7f1d-11e1-8ea7-1231380bc196"]}""");
        assertThat(send()).isEqualTo(new SendOutcome.Accepted("db3ce55a-7f1d-11e1-8ea7-1231380bc196", null, null));

        ProviderStub.Seen request = plivo.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/Account/MAXXXXXXXXXXXXXXXXXX/Message/");
        assertThat(request.header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("MAXXXXXXXXXXXXXXXXXX:plivo-token".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = Json.read(request.body(), JsonNode.class);
        assertThat(body.path("src").asText()).isEqualTo("+14155550199");
        assertThat(body.path("dst").asText()).isEqualTo("+14155550100");
        assertThat(body.path("text").asText()).isEqualTo(TwilioProviderTest.SMS.body());
        assertThat(body.path("url").asText()).isEqualTo(TwilioProviderTest.SMS.statusCallback().toString());
        assertThat(body.path("method").asText()).isEqualTo("POST");
    }

    @Test
    void withAPowerpackPlivoPicksTheNumberAndGetsNoSrc() {
        plivo.answer(202, "{\"message_uuid\":[\"u1\"]}");
        PlivoProvider powerpack = new PlivoProvider(http, new PlivoSettings("MAXXXXXXXXXXXXXXXXXX", Secret.of("plivo-token"), null,
                "d35f2e82-d387-427f-8594-6fa07613c43a", plivo.url()), Duration.ofMillis(500));

        assertThat(powerpack.send(TwilioProviderTest.SMS)).isEqualTo(new SendOutcome.Accepted("u1", null, null));

        JsonNode body = Json.read(plivo.only().body(), JsonNode.class);
        assertThat(body.path("powerpack_uuid").asText()).isEqualTo("d35f2e82-d387-427f-8594-6fa07613c43a");
        assertThat(body.has("src")).as("Plivo refuses src with powerpack_uuid").isFalse();
    }

    @Test
    void aDndOrStopRefusalIsAnOptOut() {
        plivo.answer(400, "{\"api_id\":\"x\",\"error\":\"destination number is registered for DND\"}");
        SendOutcome outcome = send();
        assertThat(outcome).isInstanceOf(SendOutcome.Permanent.class);
        assertThat(((SendOutcome.Permanent) outcome).recipientOptedOut()).isTrue();
    }

    @Test
    void anInvalidDestinationIsPermanentAndNotAnOptOut() {
        plivo.answer(400, "{\"api_id\":\"x\",\"error\":\"invalid dst parameter\"}");
        assertThat(send()).isEqualTo(new SendOutcome.Permanent("http_400", "invalid dst parameter", false));
    }

}
