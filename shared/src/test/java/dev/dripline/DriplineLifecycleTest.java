package dev.dripline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.schedule.StepScheduler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The composition root has one lifecycle: each service is built once, on first use, and every
 * caller, on any thread, gets that one instance. Nothing here talks to AWS: the clients point at
 * a closed port and building a service must not call them.
 */
class DriplineLifecycleTest {

    private static final int THREADS = 8;
    private static final StaticCredentialsProvider KEYS = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
    private static final DynamoDbClient DYNAMO = DynamoDbClient.builder().region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:9")).credentialsProvider(KEYS).build();
    private static final SqsClient SQS = SqsClient.builder().region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:9")).credentialsProvider(KEYS).build();
    private static final Map<String, String> ENV = Map.of(
            "DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:9/carrier",
            "DRIPLINE_SEND_QUEUE_URL", "http://127.0.0.1:9/000000000000/send",
            "DRIPLINE_STEPS_QUEUE_URL", "http://127.0.0.1:9/000000000000/steps",
            "DRIPLINE_IMPORTS_QUEUE_URL", "http://127.0.0.1:9/000000000000/imports",
            "DRIPLINE_SUPPRESSION_SALT", "lifecycle-salt");

    private final AtomicInteger sqsBuilt = new AtomicInteger();

    /** A core whose SQS client is slow to build, as a cold one is: the window in which two threads could both build. */
    private Dripline core() {
        Supplier<SqsClient> slowSqs = () -> {
            sqsBuilt.incrementAndGet();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return SQS;
        };
        Supplier<StepScheduler> scheduler = () -> new StepScheduler() {
            @Override
            public void schedule(String name, Instant at, dev.dripline.schedule.Due due) {
            }

            @Override
            public void cancel(String name) {
            }
        };
        return new Dripline(Settings.from(ENV), DYNAMO, slowSqs, scheduler, Clock.systemUTC());
    }

    /** Every service the core hands out: its public instance methods without parameters that return an object. */
    private static List<Method> services() {
        return Arrays.stream(Dripline.class.getMethods())
                .filter(m -> m.getDeclaringClass() == Dripline.class && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getParameterCount() == 0 && !m.getReturnType().isPrimitive())
                .toList();
    }

    @Test
    void manyThreadsAskingForAServiceAtOnceAllGetTheOneInstance() throws Exception {
        List<String> split = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (Method service : services()) {
                Dripline core = core();
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<Object>> answers = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    answers.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return service.invoke(core);
                    }));
                }
                Set<Object> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Future<Object> answer : answers) {
                    distinct.add(answer.get(30, TimeUnit.SECONDS));
                }
                if (distinct.size() != 1) {
                    split.add(service.getName() + " (" + distinct.size() + " instances)");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(services()).extracting(Method::getName).contains("messages", "sender", "journeys", "journeyInbox", "broadcasts",
                "outboundWebhooks", "snsHttp", "receipts", "conversations", "keyStore", "keyRateLimit", "verifications", "timers", "imports");
        assertThat(split).as("services built more than once by threads that asked at the same time").isEmpty();
    }

    @Test
    void eachServiceIsBuiltOnceAndItsClientsOnceForAllOfThem() throws Exception {
        Dripline core = core();
        List<String> rebuilt = new ArrayList<>();
        for (Method service : services()) {
            if (service.invoke(core) != service.invoke(core)) {
                rebuilt.add(service.getName());
            }
        }
        assertThat(rebuilt).as("services built anew on a later call").isEmpty();
        assertThat(sqsBuilt).as("one SQS client for the send, steps and imports queues").hasValue(1);
    }

    @Test
    void aServiceNobodyAsksForIsNeverBuilt() {
        Dripline core = core();
        core.contacts();
        core.audience();
        assertThat(sqsBuilt).as("no queue is needed to find contacts").hasValue(0);
    }
}
