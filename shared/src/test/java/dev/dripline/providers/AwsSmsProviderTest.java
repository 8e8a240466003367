package dev.dripline.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;

/** SendTextMessage through the real SDK client against a stub speaking the service's AWS JSON 1.0 protocol. */
class AwsSmsProviderTest {

    @RegisterExtension
    final ProviderStub aws = ProviderStub.start();
    private final AtomicInteger clientsBuilt = new AtomicInteger();

    private AwsSmsProvider provider(URI endpoint) {
        return provider(endpoint, Duration.ofMillis(800), clientsBuilt::incrementAndGet);
    }

    /** The provider on the real SDK client pointed at {@code endpoint}; {@code onBuild} runs when the client is built. */
    static AwsSmsProvider provider(URI endpoint, Duration timeout, Runnable onBuild) {
        AwsSmsSettings settings = new AwsSmsSettings("+12065550100", Optional.of(endpoint),
                Optional.of("dripline-events"), "us-east-1");
        return new AwsSmsProvider(() -> {
            onBuild.run();
            return AwsSmsProvider.configure(PinpointSmsVoiceV2Client.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(endpoint)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "example"))),
                    timeout).build();
        }, settings);
    }

    private SendOutcome send() {
        return provider(aws.url()).send(TwilioProviderTest.SMS);
    }

    private void error(int status, String type, String body) {
        aws.answer(status, body, "x-amzn-ErrorType", type, "Content-Type", "application/x-amz-json-1.0");
    }

    @Test
    void sendsTextMessageWithOurIdInItsContext() {
        aws.answer(200, "{\"MessageId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\"}", "Content-Type", "application/x-amz-json-1.0");
        assertThat(send()).isEqualTo(new SendOutcome.Accepted("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", null, null));

        ProviderStub.Seen request = aws.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/");
        assertThat(request.header("X-Amz-Target")).isEqualTo("PinpointSMSVoiceV2.SendTextMessage");
        assertThat(request.header("Content-Type")).isEqualTo("application/x-amz-json-1.0");
        assertThat(request.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
        JsonNode body = Json.read(request.body(), JsonNode.class);
        assertThat(body.path("DestinationPhoneNumber").asText()).isEqualTo("+14155550100");
        assertThat(body.path("OriginationIdentity").asText()).isEqualTo("+12065550100");
        assertThat(body.path("MessageBody").asText()).isEqualTo(TwilioProviderTest.SMS.body());
        assertThat(body.path("ConfigurationSetName").asText()).isEqualTo("dripline-events");
        assertThat(body.path("Context").path("messageId").asText()).isEqualTo("msg_1");
    }

    @Test
    void theMessagesCategoryAndWhatIsLeftOfItsValidityTravelAsMessageTypeAndTimeToLive() {
        aws.answer(200, "{\"MessageId\":\"m1\"}", "Content-Type", "application/x-amz-json-1.0");
        OutboundSms marketing = new OutboundSms("msg_2", null, "+14155550100", "Sale", TwilioProviderTest.SMS.statusCallback(), true,
                Duration.ofHours(3));
        OutboundSms code = new OutboundSms("msg_3", null, "+14155550100", "Code 1", TwilioProviderTest.SMS.statusCallback(), false,
                Duration.ofDays(5));
        OutboundSms lastMoment = new OutboundSms("msg_4", null, "+14155550100", "Code 2", TwilioProviderTest.SMS.statusCallback(), false,
                Duration.ofMillis(1200));
        provider(aws.url()).send(marketing);
        provider(aws.url()).send(code);
        provider(aws.url()).send(lastMoment);
        // The API reference: MessageType TRANSACTIONAL | PROMOTIONAL; TimeToLive 5 to 259200 seconds.
        JsonNode first = Json.read(aws.seen.get(0).body(), JsonNode.class);
        assertThat(first.path("MessageType").asText()).isEqualTo("PROMOTIONAL");
        assertThat(first.path("TimeToLive").asInt()).isEqualTo(3 * 3600);
        JsonNode second = Json.read(aws.seen.get(1).body(), JsonNode.class);
        assertThat(second.path("MessageType").asText()).isEqualTo("TRANSACTIONAL");
        assertThat(second.path("TimeToLive").asInt()).isEqualTo(259_200);
        assertThat(Json.read(aws.seen.get(2).body(), JsonNode.class).path("TimeToLive").asInt()).isEqualTo(5);
    }

    @Test
    void theClientIsBuiltOnTheFirstSendOnly() {
        aws.answer(200, "{\"MessageId\":\"m\"}");
        AwsSmsProvider provider = provider(aws.url());
        assertThat(clientsBuilt).hasValue(0);
        provider.send(TwilioProviderTest.SMS);
        provider.send(TwilioProviderTest.SMS);
        assertThat(clientsBuilt).hasValue(1);
    }

    @Test
    void throttlingIsRetryableAndTheSdkDoesNotRetryByItself() {
        error(400, "ThrottlingException", "{\"Message\":\"Rate exceeded\"}");
        assertThat(send()).isInstanceOf(SendOutcome.Retryable.class);
        assertThat(aws.seen).hasSize(1);
    }

    @Test
    void anOptedOutDestinationIsAnOptOut() {
        error(400, "ConflictException", """
                {"Message":"The destination phone number is opted out","Reason":"DESTINATION_PHONE_NUMBER_OPTED_OUT",
                 "ResourceType":"opt-out-list","ResourceId":"Default"}""");
        assertThat(send()).isEqualTo(new SendOutcome.Permanent("DESTINATION_PHONE_NUMBER_OPTED_OUT",
                "The destination phone number is opted out", true));
    }

    @Test
    void theMonthlySpendLimitIsRetryableSoAnotherProviderCanSend() {
        error(402, "ServiceQuotaExceededException", "{\"Message\":\"limit\",\"Reason\":\"MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT\"}");
        assertThat(send()).isInstanceOf(SendOutcome.Retryable.class);
    }

    @Test
    void anInvalidRequestIsPermanent() {
        error(400, "ValidationException", "{\"Message\":\"bad number\",\"Reason\":\"INVALID_PARAMETER\"}");
        SendOutcome outcome = send();
        assertThat(outcome).isInstanceOf(SendOutcome.Permanent.class);
        assertThat(((SendOutcome.Permanent) outcome).recipientOptedOut()).isFalse();
    }

    @Test
    void anInternalServerErrorIsUnknownAndNotRetriedBySdk() {
        error(500, "InternalServerException", "{\"Message\":\"oops\",\"RequestId\":\"r1\"}");
        assertThat(send()).isInstanceOf(SendOutcome.Unknown.class);
        assertThat(aws.seen).hasSize(1);
    }

}
