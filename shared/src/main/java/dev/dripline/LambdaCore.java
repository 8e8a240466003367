package dev.dripline;

import dev.dripline.config.Env;
import dev.dripline.json.Json;
import dev.dripline.messaging.SendRequest;
import dev.dripline.providers.ProviderSettings;
import dev.dripline.schedule.EventBridgeScheduler;
import dev.dripline.schedule.SchedulerSettings;
import dev.dripline.secrets.SecretValues;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The core as a Lambda function builds it: settings from the environment (secrets resolved from
 * Secrets Manager first), SDK clients on the URL-connection HTTP client (the quickest to start),
 * the system clock. DRIPLINE_DYNAMODB_ENDPOINT and DRIPLINE_SQS_ENDPOINT point the clients
 * elsewhere (benchmarks, LocalStack).
 */
final class LambdaCore {

    private LambdaCore() {
    }

    static Dripline fromEnvironment(Map<String, String> variables) {
        Region region = Region.of(ProviderSettings.region(Env.of(variables)));
        // Lambda puts the role's credentials in the environment: reading them there skips the
        // default provider chain's class loading and probing.
        AwsCredentialsProvider credentials = variables.containsKey("AWS_ACCESS_KEY_ID")
                ? EnvironmentVariableCredentialsProvider.create() : DefaultCredentialsProvider.builder().build();
        Map<String, String> resolved = variables;
        if (SecretValues.anyArn(variables)) {
            // Only when a secret is configured: the client costs cold-start time.
            try (SecretsManagerClient secrets = SecretsManagerClient.builder().region(region).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                resolved = SecretValues.resolve(variables, arn -> secrets.getSecretValue(r -> r.secretId(arn)).secretString());
            }
        }
        Settings settings = Settings.from(resolved);
        if (!settings.hasProvider()) {
            LoggerFactory.getLogger(Dripline.class).warn("no SMS provider configured (DRIPLINE_PROVIDERS is empty, or names"
                    + " simulator without DRIPLINE_SIMULATOR_URL): sends are"
                    + " refused with 503 until the Providers parameter names one (e.g. twilio) with its secret");
        }
        Env env = Env.of(resolved);
        // The SQS client and the JSON mapper load on the second core while this thread builds
        // the DynamoDB client that every function needs first.
        CompletableFuture<SqsClient> sqs = CompletableFuture.supplyAsync(() -> {
            var builder = SqsClient.builder().region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create());
            env.optionalUri("DRIPLINE_SQS_ENDPOINT").ifPresent(builder::endpointOverride);
            return builder.build();
        });
        CompletableFuture.runAsync(() -> Json.read(Json.write(new SendRequest("msg_warm")), SendRequest.class));
        var dynamo = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create());
        env.optionalUri("DRIPLINE_DYNAMODB_ENDPOINT").ifPresent(dynamo::endpointOverride);
        SchedulerSettings s = settings.scheduler();
        return Dripline.builder(settings, dynamo.build())
                .sqs(sqs::join)
                .scheduler(() -> new EventBridgeScheduler(SchedulerClient.builder().region(region).credentialsProvider(credentials)
                        .httpClient(UrlConnectionHttpClient.create()).build(), s.group(), s.stepsQueueArn(), s.roleArn(), s.deadLetterArn()))
                .clock(Clock.systemUTC())
                .media(() -> media(settings, env, region, credentials))
                .build();
    }

    /**
     * The media store: the S3 bucket DRIPLINE_MEDIA_BUCKET (DRIPLINE_S3_ENDPOINT, path-style, for
     * an S3-compatible stand-in), or without one, memory (a stack without media).
     */
    private static dev.dripline.media.MediaStore media(Settings settings, Env env, Region region,
                                                       software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        java.util.Optional<String> bucket = settings.media().bucket();
        if (bucket.isEmpty()) {
            return dev.dripline.media.LocalMediaStore.inMemory(settings.publicUrl(),
                    java.util.UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), Clock.systemUTC());
        }
        var s3 = software.amazon.awssdk.services.s3.S3Client.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create());
        var presigner = software.amazon.awssdk.services.s3.presigner.S3Presigner.builder().region(region).credentialsProvider(credentials);
        env.optionalUri("DRIPLINE_S3_ENDPOINT").ifPresent(endpoint -> {
            s3.endpointOverride(endpoint).forcePathStyle(true);
            presigner.endpointOverride(endpoint).serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                    .pathStyleAccessEnabled(true).build());
        });
        return new dev.dripline.media.S3MediaStore(s3.build(), presigner.build(), bucket.get(), Clock.systemUTC());
    }
}
