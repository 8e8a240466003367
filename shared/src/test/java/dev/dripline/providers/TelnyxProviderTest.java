package dev.dripline.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TelnyxProviderTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @RegisterExtension
    final ProviderStub telnyx = ProviderStub.start();

    private TelnyxProvider provider(URI base, String profile) {
        return new TelnyxProvider(http, new TelnyxSettings("KEY0123", "+14155550198", profile, base), Duration.ofSeconds(3));
    }

    private SendOutcome send() {
        return provider(telnyx.url(), null).send(TwilioProviderTest.SMS);
    }

    @Test
    void postsJsonToMessagesWithABearerKey() {
        telnyx.answer(200, """
                {"data":{"record_type":"message","direction":"outbound","id":"40385f64-5717-4562-b3fc-2c963f66afa6",
                 "type":"SMS","parts":2,"encoding":"UCS-2","cost":{"amount":"0.0100","currency":"USD"},
                 "to":[{"phone_number":"+14155550100","status":"queued","carrier":"T-MOBILE USA, INC.","line_type":"Wireless"}]}}""");
        assertThat(send()).isEqualTo(new SendOutcome.Accepted("40385f64-5717-4562-b3fc-2c963f66afa6", 2, new BigDecimal("0.0100")));

        ProviderStub.Seen request = telnyx.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/messages");
        assertThat(request.header("Authorization")).isEqualTo("Bearer KEY0123");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = Json.read(request.body(), JsonNode.class);
        assertThat(body.path("from").asText()).isEqualTo("+14155550198");
        assertThat(body.path("to").asText()).isEqualTo("+14155550100");
        assertThat(body.path("text").asText()).isEqualTo(TwilioProviderTest.SMS.body());
        assertThat(body.path("webhook_url").asText()).isEqualTo(TwilioProviderTest.SMS.statusCallback().toString());
        assertThat(body.has("messaging_profile_id")).isFalse();
    }

    @Test
    void aConfiguredMessagingProfileIsSent() {
        telnyx.answer(200, "{\"data\":{\"id\":\"m1\",\"parts\":1,\"cost\":null}}");
        assertThat(provider(telnyx.url(), "profile-1").send(TwilioProviderTest.SMS)).isEqualTo(new SendOutcome.Accepted("m1", 1, null));
        assertThat(Json.read(telnyx.only().body(), JsonNode.class).path("messaging_profile_id").asText()).isEqualTo("profile-1");
    }

    @Test
    void aMessagingProfileWithoutAFromNumberLetsTelnyxPickTheNumber() {
        telnyx.answer(200, "{\"data\":{\"id\":\"m1\",\"parts\":1,\"cost\":null}}");
        TelnyxProvider pool = new TelnyxProvider(http, new TelnyxSettings("KEY0123", null, "profile-1", telnyx.url()),
                Duration.ofMillis(500));

        assertThat(pool.send(TwilioProviderTest.SMS)).isEqualTo(new SendOutcome.Accepted("m1", 1, null));

        JsonNode body = Json.read(telnyx.only().body(), JsonNode.class);
        assertThat(body.has("from")).isFalse();
        assertThat(body.path("messaging_profile_id").asText()).isEqualTo("profile-1");
    }

    @Test
    void blockedDueToStopIsAnOptOut() {
        telnyx.answer(400, """
                {"errors":[{"code":"40300","title":"Blocked due to STOP message",
                 "detail":"Messages cannot be sent from this number to the destination because the recipient replied STOP."}]}""");
        SendOutcome outcome = send();
        assertThat(outcome).isInstanceOf(SendOutcome.Permanent.class);
        assertThat(((SendOutcome.Permanent) outcome).errorCode()).isEqualTo("40300");
        assertThat(((SendOutcome.Permanent) outcome).recipientOptedOut()).isTrue();
    }

    @Test
    void anInvalidDestinationIsPermanent() {
        telnyx.answer(422, "{\"errors\":[{\"code\":\"40310\",\"title\":\"Invalid 'to' address\"}]}");
        assertThat(send()).isEqualTo(new SendOutcome.Permanent("40310", "Invalid 'to' address", false));
    }

    @Test
    void aServerErrorRetriedInPlaceThatStillFailsIsUnknownAndUnavailableIsRetryable() {
        telnyx.answer(500, "{\"errors\":[{\"code\":\"10007\",\"title\":\"Unexpected error\"}]}").answer(503, "");
        // The retry's 503 says nothing about the first call, which may have sent.
        assertThat(send()).isInstanceOf(SendOutcome.Unknown.class);
        assertThat(telnyx.seen).hasSize(2);
        assertThat(send()).isInstanceOf(SendOutcome.Retryable.class);
    }

    @Test
    void everySendCarriesTheMessageIdAsIdempotencyKeyAndA500IsRetriedWithTheSameKeyAndBody() {
        telnyx.answer(500, "{\"errors\":[{\"code\":\"10007\",\"title\":\"Unexpected error\"}]}")
                .answer(200, "{\"data\":{\"id\":\"40385f64\",\"parts\":1}}");
        assertThat(send()).isEqualTo(new SendOutcome.Accepted("40385f64", 1, null));
        assertThat(telnyx.seen).hasSize(2);
        assertThat(telnyx.seen).extracting(s -> s.header("Idempotency-Key")).containsExactly("msg_1", "msg_1");
        // Telnyx answers 422 to a reused key with a body that is not byte-for-byte the same.
        assertThat(telnyx.seen.get(1).body()).isEqualTo(telnyx.seen.get(0).body());
    }

    @Test
    void theLookupAfterAnUnknownOutcomeIsTheSameRequestUnderTheSameKey() {
        telnyx.answer(200, "{\"data\":{\"id\":\"40385f64\",\"parts\":1}}");
        SendLookup found = provider(telnyx.url(), null).lookup(TwilioProviderTest.SMS, java.time.Instant.now().minusSeconds(60));
        assertThat(found).isEqualTo(new SendLookup.Found(new SendOutcome.Accepted("40385f64", 1, null)));
        assertThat(telnyx.only().header("Idempotency-Key")).isEqualTo("msg_1");
        // Past the 24 hours Telnyx keeps a key, a repeat could send twice: no lookup.
        SendLookup tooOld = provider(telnyx.url(), null).lookup(TwilioProviderTest.SMS, java.time.Instant.now().minus(Duration.ofHours(25)));
        assertThat(tooOld).isInstanceOf(SendLookup.Undetermined.class);
        assertThat(telnyx.seen).hasSize(1);
    }

}
