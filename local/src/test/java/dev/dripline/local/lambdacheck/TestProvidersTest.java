package dev.dripline.local.lambdacheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dripline.json.Json;
import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.plivo.PlivoCallbacks;
import dev.dripline.webhooks.telnyx.TelnyxCallbacks;
import dev.dripline.webhooks.twilio.TwilioSignature;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The provider samples of events/ carry the signatures of the lambda check's test credentials,
 * as the core's own verifiers see them (two implementations written from the providers' docs
 * agreeing), and the API Gateway shape the webhooks function reads.
 */
class TestProvidersTest {

    private static ObjectNode event(String name) throws Exception {
        return (ObjectNode) Json.mapper().readTree(Path.of("../events", name).toFile());
    }

    @Test
    void twilioSamplesAreSignedWithTheTestAuthToken() throws Exception {
        for (String name : new String[] {"webhooks-twilio-inbound.json", "webhooks-twilio-status.json"}) {
            JsonNode e = event(name);
            assertThat(e.path("isBase64Encoded").asBoolean()).as(name).isTrue();
            assertThat(TwilioSignature.verify(TestProviders.TWILIO_AUTH_TOKEN, e.path("headers").path("x-twilio-signature").asText(),
                    TestProviders.url(e), Form.parse(TestProviders.rawBody(e)))).as(name).isTrue();
            assertThat(TwilioSignature.verify("another-token", e.path("headers").path("x-twilio-signature").asText(),
                    TestProviders.url(e), Form.parse(TestProviders.rawBody(e)))).as(name).isFalse();
        }
    }

    @Test
    void plivoSamplesAreSignedWithTheTestAuthTokenAndTheirNonce() throws Exception {
        for (String name : new String[] {"webhooks-plivo-inbound.json", "webhooks-plivo-status.json"}) {
            JsonNode e = event(name);
            JsonNode h = e.path("headers");
            Form form = new PlivoCallbacks(Optional.of(TestProviders.PLIVO_AUTH_TOKEN)).verified(TestProviders.url(e),
                    h.path("x-plivo-signature-v3").asText(), h.path("x-plivo-signature-v3-nonce").asText(), TestProviders.rawBody(e));
            assertThat(form.required("MessageUUID")).as(name).isNotBlank();
        }
    }

    @Test
    void telnyxSamplesVerifyAtTheirTimeAndAreSignedAgainForNow() throws Exception {
        TelnyxCallbacks telnyx = new TelnyxCallbacks(Optional.of(TestProviders.TELNYX_PUBLIC_KEY));
        for (String name : new String[] {"webhooks-telnyx-inbound.json", "webhooks-telnyx-status.json"}) {
            ObjectNode e = event(name);
            Instant at = Instant.ofEpochSecond(e.path("headers").path("telnyx-timestamp").asLong());
            assertThat(telnyx.verified(e.path("headers").path("telnyx-signature-ed25519").asText(),
                    e.path("headers").path("telnyx-timestamp").asText(), e.path("body").asText(), at).path("event_type").asText())
                    .as(name).startsWith("message.");
            Instant now = Instant.now();
            ObjectNode fresh = TestProviders.signed(e, now);
            assertThat(telnyx.verified(fresh.path("headers").path("telnyx-signature-ed25519").asText(),
                    fresh.path("headers").path("telnyx-timestamp").asText(), fresh.path("body").asText(), now)).isNotNull();
        }
    }
}
