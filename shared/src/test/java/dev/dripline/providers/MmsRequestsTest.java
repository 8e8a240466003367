package dev.dripline.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import dev.dripline.media.OutboundMedia;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each adapter's MMS request as its provider documents it (README "Media" names the pages):
 * Twilio a repeated MediaUrl form field; Plivo type=mms with media_urls; Telnyx media_urls and
 * type MMS; Vonage the Messages API's channel mms, one attachment by message_type; AWS End User
 * Messaging SendMediaMessage with s3:// MediaUrls.
 */
class MmsRequestsTest {

    static final URI PICTURE = URI.create("https://media.dripline.example/media/med_1?expires=1700000000&signature=ab12");
    static final URI SECOND = URI.create("https://cdn.example/b.gif");
    static final OutboundMedia PNG = new OutboundMedia(PICTURE, "s3://dripline-media/med_1", "image/png", 2048L);
    static final OutboundMedia GIF = new OutboundMedia(SECOND, null, "image/gif", null);
    static final URI CALLBACK = URI.create("https://dripline.example/webhooks/x/status?m=msg_9");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @RegisterExtension
    final ProviderStub stub = ProviderStub.start();

    static OutboundSms mms(String body, List<OutboundMedia> media) {
        return new OutboundSms("msg_9", null, "+14155550100", body, CALLBACK, false, Duration.ofHours(1), media);
    }

    private static List<String> formValues(String body, String name) {
        return Arrays.stream(body.split("&")).filter(p -> p.startsWith(name + "="))
                .map(p -> URLDecoder.decode(p.substring(name.length() + 1), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void twilioRepeatsMediaUrlOncePerMedia() {
        stub.answer(201, "{\"sid\":\"MM0123\",\"num_segments\":\"1\",\"price\":null}");
        TwilioProvider twilio = new TwilioProvider(http, new TwilioSettings("AC123", "secret-token", "+15005550006", stub.url()),
                Duration.ofSeconds(2));

        assertThat(twilio.send(mms("Look", List.of(PNG, GIF)))).isEqualTo(new SendOutcome.Accepted("MM0123", 1, null));

        String body = stub.only().body();
        assertThat(formValues(body, "MediaUrl")).containsExactly(PICTURE.toString(), SECOND.toString());
        assertThat(formValues(body, "Body")).containsExactly("Look");
        assertThat(formValues(body, "To")).containsExactly("+14155550100");
    }

    @Test
    void twilioSendsAPictureWithoutTextWithoutBody() {
        stub.answer(201, "{\"sid\":\"MM1\"}");
        new TwilioProvider(http, new TwilioSettings("AC123", "secret-token", "+15005550006", stub.url()), Duration.ofSeconds(2))
                .send(mms("", List.of(PNG)));
        assertThat(formValues(stub.only().body(), "Body")).isEmpty();
        assertThat(formValues(stub.only().body(), "MediaUrl")).containsExactly(PICTURE.toString());
    }

    @Test
    void aTextStaysATextEverywhere() {
        stub.answer(201, "{\"sid\":\"SM1\"}");
        new TwilioProvider(http, new TwilioSettings("AC123", "secret-token", "+15005550006", stub.url()), Duration.ofSeconds(2))
                .send(mms("Hi", List.of()));
        assertThat(formValues(stub.only().body(), "MediaUrl")).isEmpty();
    }

    @Test
    void plivoSendsTypeMmsWithMediaUrls() {
        stub.answer(202, "{\"api_id\":\"x\",\"message\":\"message(s) queued\",\"message_uuid\":[\"db3ce55a-7f1d-11e1-8ea7-1231380bc196\"]}");
        PlivoProvider plivo = new PlivoProvider(http, new PlivoSettings("MAXXXXXXXXXXXXXXXXXX", "plivo-token", "+14155550199", stub.url()),
                Duration.ofSeconds(2));

        assertThat(plivo.send(mms("Look", List.of(PNG, GIF)))).isInstanceOf(SendOutcome.Accepted.class);

        JsonNode body = Json.read(stub.only().body(), JsonNode.class);
        assertThat(stub.only().path()).isEqualTo("/v1/Account/MAXXXXXXXXXXXXXXXXXX/Message/");
        assertThat(body.path("type").asText()).isEqualTo("mms");
        assertThat(body.path("media_urls")).extracting(JsonNode::asText).containsExactly(PICTURE.toString(), SECOND.toString());
        assertThat(body.path("text").asText()).isEqualTo("Look");
        assertThat(body.path("dst").asText()).isEqualTo("+14155550100");
    }

    @Test
    void plivoTextHasNoMmsType() {
        stub.answer(202, "{\"message_uuid\":[\"u1\"]}");
        new PlivoProvider(http, new PlivoSettings("MAXXXXXXXXXXXXXXXXXX", "plivo-token", "+14155550199", stub.url()), Duration.ofSeconds(2))
                .send(mms("Hi", List.of()));
        JsonNode body = Json.read(stub.only().body(), JsonNode.class);
        assertThat(body.has("type")).isFalse();
        assertThat(body.has("media_urls")).isFalse();
    }

    @Test
    void telnyxSendsMediaUrlsAsAnMms() {
        stub.answer(200, "{\"data\":{\"id\":\"40385f64-5717-4562-b3fc-2c963f66afa6\",\"parts\":1,\"type\":\"MMS\"}}");
        TelnyxProvider telnyx = new TelnyxProvider(http, new TelnyxSettings("KEY0123", "+14155550198", null, stub.url()), Duration.ofSeconds(2));

        assertThat(telnyx.send(mms("Look", List.of(PNG)))).isEqualTo(new SendOutcome.Accepted("40385f64-5717-4562-b3fc-2c963f66afa6", 1, null));

        JsonNode body = Json.read(stub.only().body(), JsonNode.class);
        assertThat(stub.only().path()).isEqualTo("/v2/messages");
        assertThat(body.path("media_urls")).extracting(JsonNode::asText).containsExactly(PICTURE.toString());
        assertThat(body.path("type").asText()).isEqualTo("MMS");
        assertThat(body.path("text").asText()).isEqualTo("Look");
        assertThat(stub.only().header("Idempotency-Key")).isEqualTo("msg_9");
    }

    @Test
    void telnyxDoesNotReplayAnMmsUnderItsKeyAsItsMediaUrlsAreSignedAnew() {
        TelnyxProvider telnyx = new TelnyxProvider(http, new TelnyxSettings("KEY0123", "+14155550198", null, stub.url()), Duration.ofSeconds(2));
        SendLookup answer = telnyx.lookup(mms("Look", List.of(PNG)), java.time.Instant.now());
        assertThat(answer).isInstanceOf(SendLookup.Undetermined.class);
        assertThat(stub.seen).isEmpty();
    }

    @Test
    void vonageSendsOneAttachmentThroughTheMessagesApiOnTheMmsChannel() {
        stub.answer(202, "{\"message_uuid\":\"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\"}");
        VonageProvider vonage = new VonageProvider(http, new VonageSettings("abcd1234", "vonage-secret", "+14155550197", stub.url()),
                Duration.ofSeconds(2));

        assertThat(vonage.send(mms("Look", List.of(PNG)))).isEqualTo(new SendOutcome.Accepted("aaaaaaaa-bbbb-cccc-dddd-0123456789ab", 1, null));

        ProviderStub.Seen request = stub.only();
        assertThat(request.path()).isEqualTo("/v1/messages");
        assertThat(request.header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("abcd1234:vonage-secret".getBytes(StandardCharsets.UTF_8)));
        JsonNode body = Json.read(request.body(), JsonNode.class);
        assertThat(body.path("channel").asText()).isEqualTo("mms");
        assertThat(body.path("message_type").asText()).isEqualTo("image");
        assertThat(body.path("image").path("url").asText()).isEqualTo(PICTURE.toString());
        assertThat(body.path("image").path("caption").asText()).isEqualTo("Look");
        assertThat(body.path("to").asText()).isEqualTo("14155550100");
        assertThat(body.path("from").asText()).isEqualTo("14155550197");
        assertThat(body.path("client_ref").asText()).isEqualTo("msg_9");
        // Its statuses are Messages API JSON signed with a JWT: posted to that route, not the SMS API's receipts.
        assertThat(body.path("webhook_url").asText()).isEqualTo("https://dripline.example/webhooks/x/messages/status?m=msg_9");
    }

    @Test
    void vonageMessageTypeFollowsTheContentType() {
        assertThat(VonageProvider.messageType("video/mp4")).isEqualTo("video");
        assertThat(VonageProvider.messageType("audio/mpeg")).isEqualTo("audio");
        assertThat(VonageProvider.messageType("text/vcard")).isEqualTo("vcard");
        assertThat(VonageProvider.messageType("application/pdf")).isEqualTo("file");
    }

    @Test
    void vonageRefusesMoreThanOneAttachmentWithoutCallingIt() {
        SendOutcome outcome = new VonageProvider(http, new VonageSettings("abcd1234", "vonage-secret", "+14155550197", stub.url()),
                Duration.ofSeconds(2)).send(mms("Look", List.of(PNG, GIF)));
        assertThat(outcome).isInstanceOf(SendOutcome.Permanent.class);
        assertThat(((SendOutcome.Permanent) outcome).reason()).contains("one attachment");
        assertThat(stub.seen).isEmpty();
    }

    @Test
    void vonageMessagesApiThrottlingIsRetryable() {
        stub.answer(429, "{\"type\":\"https://developer.vonage.com/api-errors#throttled\",\"title\":\"Rate Limit Hit\"}");
        SendOutcome outcome = new VonageProvider(http, new VonageSettings("abcd1234", "vonage-secret", "+14155550197", stub.url()),
                Duration.ofSeconds(2)).send(mms("Look", List.of(PNG)));
        assertThat(outcome).isInstanceOf(SendOutcome.Retryable.class);
    }

    @Test
    void awsSendsMediaMessageWithS3Uris() {
        stub.answer(200, "{\"MessageId\":\"mms-0001\"}", "Content-Type", "application/x-amz-json-1.0");
        AwsSmsProvider aws = AwsSmsProviderTest.provider(stub.url(), Duration.ofSeconds(2), () -> { });

        assertThat(aws.send(mms("Look", List.of(PNG)))).isEqualTo(new SendOutcome.Accepted("mms-0001", 1, null));

        ProviderStub.Seen request = stub.only();
        assertThat(request.header("X-Amz-Target")).isEqualTo("PinpointSMSVoiceV2.SendMediaMessage");
        JsonNode body = Json.read(request.body(), JsonNode.class);
        assertThat(body.path("MediaUrls")).extracting(JsonNode::asText).containsExactly("s3://dripline-media/med_1");
        assertThat(body.path("MessageBody").asText()).isEqualTo("Look");
        assertThat(body.path("DestinationPhoneNumber").asText()).isEqualTo("+14155550100");
        assertThat(body.path("OriginationIdentity").asText()).isEqualTo("+12065550100");
        assertThat(body.path("Context").path("messageId").asText()).isEqualTo("msg_9");
    }

    @Test
    void awsRefusesMediaOutsideTheBucketSoAnotherProviderMayTakeIt() {
        AwsSmsProvider aws = AwsSmsProviderTest.provider(stub.url(), Duration.ofSeconds(2), () -> { });
        SendOutcome outcome = aws.send(mms("Look", List.of(GIF)));
        assertThat(outcome).isInstanceOf(SendOutcome.Retryable.class);
        assertThat(((SendOutcome.Retryable) outcome).reason()).contains("S3");
        assertThat(stub.seen).isEmpty();
    }
}
