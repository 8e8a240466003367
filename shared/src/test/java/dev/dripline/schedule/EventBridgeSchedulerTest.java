package dev.dripline.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;

/** The requests EventBridgeScheduler makes, caught before they leave this JVM (nothing is sent). */
class EventBridgeSchedulerTest {

    private static final String STEPS = "arn:aws:sqs:us-east-1:123456789012:dripline-StepsQueue";
    private static final String ROLE = "arn:aws:iam::123456789012:role/dripline-SchedulerRole";
    private static final String DLQ = "arn:aws:sqs:us-east-1:123456789012:dripline-SchedulerDeadLetterQueue";

    private static final class Caught extends RuntimeException {
        Caught() {
            super("request caught by the test", null, false, false);
        }
    }

    private final List<SdkRequest> requests = new CopyOnWriteArrayList<>();

    private SchedulerClient client() {
        return SchedulerClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()).addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        requests.add(context.request());
                        throw new Caught();
                    }
                }))
                .build();
    }

    private CreateScheduleRequest scheduled(EventBridgeScheduler scheduler) {
        assertThatThrownBy(() -> scheduler.schedule("step-1", Instant.parse("2026-12-03T10:00:00.250Z"),
                new Due.ScheduledSend("msg_1")))
                .isInstanceOf(Caught.class);
        assertThat(requests).hasSize(1);
        return (CreateScheduleRequest) requests.get(0);
    }

    @Test
    void everyScheduleNamesTheDeadLetterQueueWhenOneIsConfigured() {
        CreateScheduleRequest request = scheduled(new EventBridgeScheduler(client(), "dripline-group", STEPS, ROLE, DLQ));
        assertThat(request.groupName()).isEqualTo("dripline-group");
        assertThat(request.scheduleExpression()).isEqualTo("at(2026-12-03T10:00:01)");
        assertThat(request.target().arn()).isEqualTo(STEPS);
        assertThat(request.target().roleArn()).isEqualTo(ROLE);
        assertThat(request.target().deadLetterConfig()).isNotNull();
        assertThat(request.target().deadLetterConfig().arn()).isEqualTo(DLQ);
    }

    @Test
    void withoutADeadLetterQueueTheTargetHasNone() {
        CreateScheduleRequest request = scheduled(new EventBridgeScheduler(client(), "dripline-group", STEPS, ROLE, " "));
        assertThat(request.target().deadLetterConfig()).isNull();
    }
}
