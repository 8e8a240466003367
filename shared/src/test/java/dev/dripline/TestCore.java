package dev.dripline;

import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import dev.dripline.engines.Engines;
import dev.dripline.engines.aws.AwsCallRecorder;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A core on test engines with its own tables and queues, so tests in one class never share state. */
public final class TestCore {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** What was scheduled, for assertions. */
    public record Scheduled(String name, Instant at, Due due) {
    }

    public final Dripline dripline;
    public final String sendQueueUrl;
    public final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();

    public TestCore(Engines engines, Clock clock, Map<String, String> extraEnv) {
        this(engines, clock, extraEnv, core -> { });
    }

    /** @param seams replaces parts of the core before it is built (where keyword events go, SNS's HTTP) */
    public TestCore(Engines engines, Clock clock, Map<String, String> extraEnv, Consumer<DriplineBuilder> seams) {
        this(engines, clock, extraEnv, seams, null);
    }

    /**
     * A core whose DynamoDB calls go through {@code calls}' counting client, for tests that pin
     * how many calls a path makes.
     */
    public TestCore(Engines engines, Clock clock, Map<String, String> extraEnv, dev.dripline.engines.ClientCalls calls) {
        this(engines, clock, extraEnv, core -> { }, calls);
    }

    private TestCore(Engines engines, Clock clock, Map<String, String> extraEnv, Consumer<DriplineBuilder> seams,
                     dev.dripline.engines.ClientCalls calls) {
        String prefix = "t" + SEQUENCE.incrementAndGet() + "-";
        this.sendQueueUrl = engines.sqs().createQueue(r -> r.queueName(prefix + "send")).queueUrl();
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("DRIPLINE_TABLE_PREFIX", prefix);
        env.put("DRIPLINE_SEND_QUEUE_URL", sendQueueUrl);
        env.putIfAbsent("DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:9/unused");
        env.putIfAbsent("DRIPLINE_SUPPRESSION_SALT", "test-salt-" + prefix);
        env.putIfAbsent("DRIPLINE_IMPORTS_QUEUE_URL", engines.sqs().createQueue(r -> r.queueName(prefix + "imports")).queueUrl());
        StepScheduler scheduler = new StepScheduler() {
            @Override
            public void schedule(String name, Instant at, Due due) {
                // What EventBridgeScheduler would call (EventBridgeSchedulerTest), for the IAM check.
                AwsCallRecorder.global().stoodIn("scheduler:CreateSchedule", "schedule", name);
                AwsCallRecorder.global().stoodIn("iam:PassRole", "env", "DRIPLINE_SCHEDULER_ROLE_ARN");
                scheduled.add(new Scheduled(name, at, due));
            }

            @Override
            public void cancel(String name) {
                AwsCallRecorder.global().stoodIn("scheduler:DeleteSchedule", "schedule", name);
                scheduled.removeIf(s -> s.name().equals(name));
            }
        };
        DriplineBuilder builder = Dripline.builder(Settings.from(env),
                calls == null ? engines.dynamoDb() : calls.counting(engines.dynamoDb())).sqs(engines.sqs()).scheduler(scheduler).clock(clock);
        seams.accept(builder);
        this.dripline = builder.build();
        dripline.createTables();
    }

    public TestCore(Engines engines, Clock clock) {
        this(engines, clock, Map.of());
    }
}
