package dev.dripline.providers;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ConflictException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.InternalServerException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.MessageType;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.SendTextMessageResponse;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ThrottlingException;

/**
 * AWS End User Messaging SMS (pinpoint-sms-voice-v2) SendTextMessage, through the SDK: our
 * message id travels in {@code Context {messageId}} and comes back in every delivery event
 * (there is no callback URL: events go to the configuration set's destinations and EventBridge).
 *
 * <p>Answers: {@code MessageId} is accepted (parts and price arrive in the delivery events);
 * ThrottlingException is retryable; ServiceQuotaExceededException (e.g. the monthly spend limit)
 * is retryable, as nothing was sent and another provider may take it; ConflictException
 * DESTINATION_PHONE_NUMBER_OPTED_OUT is an opt-out, other conflicts permanent;
 * InternalServerException is unknown: the SDK classes it retryable, but SendTextMessage has no
 * idempotency token and AWS does not say the message was not sent; any other 503 retryable,
 * other 5xx unknown, other 4xx permanent.
 *
 * <p>An MMS is SendMediaMessage with the same fields and {@code MediaUrls}: {@code s3://bucket/key}
 * URIs of media in Dripline's bucket (the service reads them with its own access, in the same
 * region). Media that is not in the bucket (a caller's URL) cannot go this way: the answer is a
 * refusal that another provider may take over. The SDK's own retries are off (they would resend after
 * a 500 or a timeout), and the client is built on the first send, not at start-up.
 */
public final class AwsSmsProvider implements SmsProvider {

    static final String OPTED_OUT = "DESTINATION_PHONE_NUMBER_OPTED_OUT";
    static final String THROTTLING = "ThrottlingException";
    static final String QUOTA_EXCEEDED = "ServiceQuotaExceededException";
    static final String INTERNAL = "InternalServerException";
    private static final ErrorLadder LADDER = ErrorLadder.of("aws").throttledOn(THROTTLING).accountRefusedOn(QUOTA_EXCEEDED)
            .mayHaveSentOn(INTERNAL).optedOutOn(OPTED_OUT);

    private final Supplier<PinpointSmsVoiceV2Client> client;
    private final AwsSmsSettings settings;
    private volatile PinpointSmsVoiceV2Client built;

    /** @param client called once, on the first send */
    public AwsSmsProvider(Supplier<PinpointSmsVoiceV2Client> client, AwsSmsSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** The provider on a client from the settings: the function role's credentials, no SDK retries. */
    public static AwsSmsProvider fromSettings(AwsSmsSettings settings, Duration timeout) {
        return new AwsSmsProvider(() -> {
            AwsCredentialsProvider credentials = System.getenv("AWS_ACCESS_KEY_ID") != null
                    ? EnvironmentVariableCredentialsProvider.create() : DefaultCredentialsProvider.builder().build();
            var builder = PinpointSmsVoiceV2Client.builder()
                    .region(Region.of(settings.region()))
                    .credentialsProvider(credentials);
            settings.endpoint().ifPresent(builder::endpointOverride);
            return configure(builder, timeout).build();
        }, settings);
    }

    /** No SDK retries, the URL-connection client, and {@code timeout} for each call. */
    public static <B extends software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2ClientBuilder> B configure(B builder,
                                                                                                                        Duration timeout) {
        builder.httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(timeout)
                        .build())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout));
        return builder;
    }

    @Override
    public String name() {
        return "aws";
    }

    /** SendTextMessage's TimeToLive: whole seconds, 5 to 259,200 (three days). */
    static int timeToLive(java.time.Duration validFor) {
        long seconds = Math.max(0, validFor.getSeconds());
        return (int) Math.max(MIN_TTL_SECONDS, Math.min(MAX_TTL_SECONDS, seconds));
    }

    static final int MIN_TTL_SECONDS = 5;
    static final int MAX_TTL_SECONDS = 259_200;

    @Override
    public SendOutcome send(OutboundSms sms) {
        if (sms.isMms()) {
            return sendMedia(sms);
        }
        try {
            SendTextMessageResponse response = client().sendTextMessage(r -> {
                r.destinationPhoneNumber(sms.to())
                        .originationIdentity(sms.from() == null || sms.from().isBlank() ? settings.originationIdentity() : sms.from())
                        .messageBody(sms.body())
                        .context(Map.of("messageId", sms.messageId()));
                settings.configurationSet().ifPresent(r::configurationSetName);
                if (sms.promotional() != null) {
                    r.messageType(sms.promotional() ? MessageType.PROMOTIONAL : MessageType.TRANSACTIONAL);
                }
                if (sms.validFor() != null) {
                    r.timeToLive(timeToLive(sms.validFor()));
                }
            });
            if (response.messageId() == null || response.messageId().isBlank()) {
                return new SendOutcome.Unknown("aws answered without a MessageId");
            }
            return new SendOutcome.Accepted(response.messageId(), null, null);
        } catch (AwsServiceException refused) {
            return LADDER.outcome(refusal(refused));
        } catch (SdkClientException transport) {
            return ErrorLadder.noAnswer(name(), transport);
        }
    }

    private SendOutcome sendMedia(OutboundSms sms) {
        java.util.List<String> s3 = sms.media().stream().map(dev.dripline.media.OutboundMedia::s3Uri).toList();
        if (s3.contains(null)) {
            return SendOutcome.Retryable.refused("aws sends only media kept in Dripline's S3 bucket (DRIPLINE_MEDIA_BUCKET), not a URL");
        }
        try {
            var response = client().sendMediaMessage(r -> {
                r.destinationPhoneNumber(sms.to())
                        .originationIdentity(sms.from() == null || sms.from().isBlank() ? settings.originationIdentity() : sms.from())
                        .mediaUrls(s3)
                        .context(Map.of("messageId", sms.messageId()));
                if (!sms.body().isEmpty()) {
                    r.messageBody(sms.body());
                }
                settings.configurationSet().ifPresent(r::configurationSetName);
                if (sms.validFor() != null) {
                    r.timeToLive(timeToLive(sms.validFor()));
                }
            });
            if (response.messageId() == null || response.messageId().isBlank()) {
                return new SendOutcome.Unknown("aws answered without a MessageId");
            }
            return new SendOutcome.Accepted(response.messageId(), 1, null);
        } catch (AwsServiceException refused) {
            return LADDER.outcome(refusal(refused));
        } catch (SdkClientException transport) {
            return ErrorLadder.noAnswer(name(), transport);
        }
    }

    /**
     * The service's refusal for the ladder: its error code, except a conflict, which is told by
     * its Reason ({@code DESTINATION_PHONE_NUMBER_OPTED_OUT}...). InternalServerException is a
     * 500: the SDK classes it retryable, but SendTextMessage has no idempotency token.
     */
    private static ErrorLadder.Refusal refusal(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String reason = message(e);
        if (e instanceof ConflictException conflict) {
            code = conflict.reasonAsString() == null ? "CONFLICT" : conflict.reasonAsString();
        } else if (e instanceof ThrottlingException) {
            code = THROTTLING;
        } else if (e instanceof ServiceQuotaExceededException quota) {
            code = QUOTA_EXCEEDED;
            reason = quota.reasonAsString();
        } else if (e instanceof InternalServerException) {
            code = INTERNAL;
        }
        return new ErrorLadder.Refusal(e.statusCode(), code, reason, retryAfter(e));
    }

    private PinpointSmsVoiceV2Client client() {
        PinpointSmsVoiceV2Client c = built;
        if (c == null) {
            synchronized (this) {
                c = built;
                if (c == null) {
                    c = client.get();
                    built = c;
                }
            }
        }
        return c;
    }

    private static Optional<Duration> retryAfter(AwsServiceException e) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null) {
            return Optional.empty();
        }
        return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").flatMap(ProviderHttp::retryAfter);
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }
}
