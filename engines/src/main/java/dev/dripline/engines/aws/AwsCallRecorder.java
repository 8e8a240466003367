package dev.dripline.engines.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Records the AWS calls a function's code makes in its tests, as the IAM permissions they need
 * ({@link AwsCall}), for {@link IamCheck}. Only calls made while one of the <em>entry points</em>
 * is on the stack count: the Lambda handler classes listed, one per line, in the classpath
 * resource {@value #ENTRY_POINTS} (each function module's src/test/resources), so a test's own
 * setup and assertions are not taken for the function's. Without that resource nothing is
 * recorded (and no stack is walked). Calls made on other threads than the handler's are missed.
 *
 * <p>Two ways in: as an SDK {@link ExecutionInterceptor} (SQS, Scheduler, Secrets Manager...
 * any client built with it, or listed in the SDK's global interceptor file
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}), and as a proxy around
 * a {@link DynamoDbClient} ({@link #recording}), because DynamoDB Local's embedded client answers
 * in-process without the SDK's pipeline, so no interceptor sees its calls.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

    /** The classpath resource naming the entry points. */
    public static final String ENTRY_POINTS = "dripline-aws-calls/entry-points";

    /** System property: more entry points, comma-separated (e.g. a harness running a built function). */
    public static final String ENTRY_POINTS_PROPERTY = "dripline.aws-calls.entry-points";
    /** System property: a file the calls are written to (one tab-separated line each) when the JVM exits. */
    public static final String OUT_PROPERTY = "dripline.aws-calls.out";

    private static final AwsCallRecorder GLOBAL = global(loadEntryPoints());

    private final Set<String> entryPoints;
    private final Set<AwsCall> calls;

    /**
     * For the SDK's global interceptor file (which needs a public no-argument constructor): records
     * into this JVM's shared recorder.
     */
    public AwsCallRecorder() {
        this(GLOBAL.entryPoints, GLOBAL.calls);
    }

    public AwsCallRecorder(Set<String> entryPoints) {
        this(entryPoints, ConcurrentHashMap.newKeySet());
    }

    private AwsCallRecorder(Set<String> entryPoints, Set<AwsCall> calls) {
        this.entryPoints = Set.copyOf(entryPoints);
        this.calls = calls;
    }

    private static AwsCallRecorder global(Set<String> entryPoints) {
        AwsCallRecorder recorder = new AwsCallRecorder(entryPoints);
        String out = System.getProperty(OUT_PROPERTY);
        if (out != null && !out.isBlank()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    java.nio.file.Files.write(java.nio.file.Path.of(out), recorder.calls().stream()
                            .map(c -> String.join("\t", c.action(), c.kind(), c.name(), c.entryPoint())).sorted().toList());
                } catch (IOException e) {
                    System.err.println("AwsCallRecorder: cannot write " + out + ": " + e);
                }
            }, "aws-calls-out"));
        }
        return recorder;
    }

    /** The recorder of this JVM (its entry points from {@value #ENTRY_POINTS}). */
    public static AwsCallRecorder global() {
        return GLOBAL;
    }

    public boolean enabled() {
        return !entryPoints.isEmpty();
    }

    public Set<String> entryPoints() {
        return entryPoints;
    }

    /** What was recorded so far. */
    public List<AwsCall> calls() {
        return new ArrayList<>(calls);
    }

    public void clear() {
        calls.clear();
    }

    private static Set<String> loadEntryPoints() {
        Set<String> out = new LinkedHashSet<>();
        for (String e : System.getProperty(ENTRY_POINTS_PROPERTY, "").split(",")) {
            if (!e.isBlank()) {
                out.add(e.trim());
            }
        }
        try {
            var resources = AwsCallRecorder.class.getClassLoader().getResources(ENTRY_POINTS);
            while (resources.hasMoreElements()) {
                try (InputStream in = resources.nextElement().openStream();
                     BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    reader.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(out::add);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + ENTRY_POINTS, e);
        }
        return out;
    }

    /** The entry point on the current stack, if any. */
    private Optional<String> entryPoint() {
        if (entryPoints.isEmpty()) {
            return Optional.empty();
        }
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(entryPoints::contains).reduce((first, second) -> second));
    }

    /**
     * Records a call that a test double makes instead of an SDK client (e.g. a fake scheduler
     * standing in for EventBridgeScheduler), when an entry point is on the stack.
     */
    public void stoodIn(String action, String kind, String name) {
        entryPoint().ifPresent(e -> calls.add(new AwsCall(action, kind, name, e)));
    }

    // --- SDK clients -----------------------------------------------------------------------

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Optional<String> entry = entryPoint();
        if (entry.isEmpty()) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        SdkRequest request = context.request();
        String prefix = iamPrefix(service);
        switch (prefix) {
            case "dynamodb" -> dynamo(operation, request, entry.get());
            case "sqs" -> {
                String action = "sqs:" + (operation.endsWith("Batch") ? operation.substring(0, operation.length() - 5) : operation);
                Optional<String> url = request.getValueForField("QueueUrl", String.class);
                Optional<String> name = request.getValueForField("QueueName", String.class);
                calls.add(new AwsCall(action, "queue", url.or(() -> name).orElse(""), entry.get()));
            }
            case "scheduler" -> {
                String name = request.getValueForField("Name", String.class).orElse("");
                calls.add(new AwsCall("scheduler:" + operation, "schedule", name, entry.get()));
                request.getValueForField("Target", Object.class).flatMap(AwsCallRecorder::roleArn)
                        .ifPresent(role -> calls.add(new AwsCall("iam:PassRole", "env", "DRIPLINE_SCHEDULER_ROLE_ARN", entry.get())));
            }
            case "secretsmanager" -> calls.add(new AwsCall("secretsmanager:" + operation, "secret",
                    request.getValueForField("SecretId", String.class).orElse(""), entry.get()));
            case "s3" -> s3(operation, request, entry.get());
            default -> calls.add(new AwsCall(prefix + ":" + operation, "none", "", entry.get()));
        }
    }

    /**
     * S3's operations are not its IAM actions: ListObjects(V2) needs s3:ListBucket on the bucket,
     * GetObject and HeadObject need s3:GetObject on the object (bucket/key).
     */
    private void s3(String operation, SdkRequest request, String entry) {
        String bucket = request.getValueForField("Bucket", String.class).orElse("");
        Optional<String> key = request.getValueForField("Key", String.class);
        switch (operation) {
            case "ListObjectsV2", "ListObjects" -> calls.add(new AwsCall("s3:ListBucket", "bucket", bucket, entry));
            case "GetObject", "HeadObject" -> calls.add(new AwsCall("s3:GetObject", "object", bucket + "/" + key.orElse(""), entry));
            default -> calls.add(new AwsCall("s3:" + operation, key.isPresent() ? "object" : "bucket",
                    key.map(k -> bucket + "/" + k).orElse(bucket), entry));
        }
    }

    private static Optional<String> roleArn(Object target) {
        try {
            return Optional.ofNullable((String) target.getClass().getMethod("roleArn").invoke(target));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    static String iamPrefix(String serviceName) {
        String s = serviceName.toLowerCase(Locale.ROOT).replace(" ", "");
        return switch (s) {
            case "dynamodb" -> "dynamodb";
            case "sqs" -> "sqs";
            case "scheduler" -> "scheduler";
            case "secretsmanager" -> "secretsmanager";
            case "s3" -> "s3";
            default -> s;
        };
    }

    // --- DynamoDB ------------------------------------------------------------------------

    /** The client, with every call made under an entry point recorded. */
    public DynamoDbClient recording(DynamoDbClient client) {
        InvocationHandler handler = (proxy, method, args) -> {
            boolean convenience = method.getName().endsWith("Paginator")
                    || (args != null && args.length == 1 && args[0] instanceof Consumer<?>);
            if (convenience && method.isDefault()) {
                // Builds the request and calls back through the proxy, where it is recorded once.
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (args != null && args.length == 1 && args[0] instanceof SdkRequest request) {
                Optional<String> entry = entryPoint();
                if (entry.isPresent()) {
                    String name = method.getName();
                    dynamo(Character.toUpperCase(name.charAt(0)) + name.substring(1), request, entry.get());
                }
            }
            try {
                return method.invoke(client, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, handler);
    }

    private void dynamo(String operation, SdkRequest request, String entry) {
        Collection<AwsCall> out = new ArrayList<>();
        if (request instanceof TransactWriteItemsRequest t) {
            t.transactItems().forEach(i -> {
                if (i.put() != null) {
                    out.add(new AwsCall("dynamodb:PutItem", "table", i.put().tableName(), entry));
                }
                if (i.update() != null) {
                    out.add(new AwsCall("dynamodb:UpdateItem", "table", i.update().tableName(), entry));
                }
                if (i.delete() != null) {
                    out.add(new AwsCall("dynamodb:DeleteItem", "table", i.delete().tableName(), entry));
                }
                if (i.conditionCheck() != null) {
                    out.add(new AwsCall("dynamodb:ConditionCheckItem", "table", i.conditionCheck().tableName(), entry));
                }
            });
        } else if (request instanceof TransactGetItemsRequest t) {
            t.transactItems().forEach(i -> out.add(new AwsCall("dynamodb:GetItem", "table", i.get().tableName(), entry)));
        } else if (request instanceof BatchGetItemRequest b) {
            b.requestItems().keySet().forEach(table -> out.add(new AwsCall("dynamodb:BatchGetItem", "table", table, entry)));
        } else if (request instanceof BatchWriteItemRequest b) {
            b.requestItems().keySet().forEach(table -> out.add(new AwsCall("dynamodb:BatchWriteItem", "table", table, entry)));
        } else {
            Optional<String> table = request.getValueForField("TableName", String.class);
            Optional<String> index = request.getValueForField("IndexName", String.class);
            String action = "dynamodb:" + operation;
            if (table.isPresent() && index.isPresent()) {
                out.add(new AwsCall(action, "index", table.get() + "/index/" + index.get(), entry));
            } else {
                out.add(new AwsCall(action, table.isPresent() ? "table" : "none", table.orElse(""), entry));
            }
        }
        calls.addAll(out);
    }
}
