package dev.dripline.local.bench;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.json.Json;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import dev.dripline.webhooks.SimulatorSignature;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The cold-start benchmark: for each function, starts a fresh JVM on its packaged Lambda jar
 * and measures from the JVM's start to the first sample event from {@code events/} handled,
 * against real engines (DynamoDB Local's HTTP server, ElasticMQ) and a stub of the simulated
 * carrier, with Lambda's own JVM flags for Java ({@code -XX:TieredStopAtLevel=1}).
 * Run from the repository root: {@code java -jar local/target/dripline-local.jar cold-start [runs]}.
 */
public final class ColdStart {

    record Function(String name, String handler, String event, double targetMillis) {
    }

    static final List<Function> FUNCTIONS = List.of(
            new Function("steps", "dev.dripline.steps.StepsHandler", "events/sqs-steps.json", 1000),
            new Function("sender", "dev.dripline.sender.SenderHandler", "events/sqs-send.json", 1000),
            new Function("api", "dev.dripline.api.ApiFunction", "events/api-post-contact.json", 1500),
            new Function("webhooks", "dev.dripline.webhooks.http.WebhooksFunction", "events/webhooks-simulator-status.json", 1500));

    private static final String SECRET = "bench-simulator-secret-0123456789";
    private static final String API_KEY = "bench-api-key-0123456789abcdef";

    private ColdStart() {
    }

    public static void run(String[] args) throws Exception {
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path root = Path.of("").toAbsolutePath();
        for (Function f : FUNCTIONS) {
            if (!Files.exists(jar(root, f))) {
                throw new IllegalStateException(jar(root, f) + " is missing: run 'mvn -q -B -DskipTests package' first");
            }
        }
        int dynamoPort = freePort();
        // DynamoDB Local's server has no bind-address option: it listens on all interfaces, on a
        // random port, for the few seconds of this benchmark only.
        DynamoDBProxyServer dynamoServer = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(dynamoPort), "-disableTelemetry"});
        dynamoServer.start();
        SQSRestServer sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        HttpServer carrier = carrierStub();
        try {
            measure(root, runs, dynamoPort, sqsPort, carrier.getAddress().getPort());
        } finally {
            carrier.stop(0);
            sqsServer.stopAndWait();
            dynamoServer.stop();
        }
    }

    private static void measure(Path root, int runs, int dynamoPort, int sqsPort, int carrierPort) throws Exception {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + dynamoPort))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        SqsClient sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + sqsPort))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        String sendQueue = sqs.createQueue(r -> r.queueName("bench-send")).queueUrl();
        String stepsQueue = sqs.createQueue(r -> r.queueName("bench-steps")).queueUrl();

        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("DRIPLINE_DYNAMODB_ENDPOINT", "http://127.0.0.1:" + dynamoPort);
        env.put("DRIPLINE_SQS_ENDPOINT", "http://127.0.0.1:" + sqsPort);
        env.put("DRIPLINE_TABLE_PREFIX", "bench-");
        env.put("DRIPLINE_SEND_QUEUE_URL", sendQueue);
        env.put("DRIPLINE_STEPS_QUEUE_URL", stepsQueue);
        env.put("DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:" + carrierPort);
        env.put("DRIPLINE_SIMULATOR_SECRET", SECRET);
        env.put("DRIPLINE_PUBLIC_URL", "https://sms.example.com");
        env.put("DRIPLINE_API_KEY", API_KEY);

        Dripline core = new Dripline(Settings.from(env), dynamo, sqs, new NoSchedules(), Clock.systemUTC());
        core.createTables();
        Path invoker = invokerClasses();
        Path work = Files.createTempDirectory("dripline-cold-start");

        System.out.printf("%nCold start, JVM start to first sample event handled (%d runs each, %d cores, %s)%n",
                runs, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        System.out.printf("%-9s %8s %8s %8s %8s %9s  %s%n", "function", "median", "min", "max", "init", "target", "jar");
        for (Function f : FUNCTIONS) {
            List<Long> totals = new ArrayList<>();
            List<Long> inits = new ArrayList<>();
            String lastResult = "";
            for (int i = 0; i < runs; i++) {
                Path event = prepareEvent(root, f, core, work, i);
                Map<String, Long> figures = new HashMap<>();
                lastResult = invoke(root, f, invoker, event, env, figures);
                totals.add(figures.get("first_event_ms"));
                inits.add(figures.get("init_ms"));
            }
            totals.sort(Long::compare);
            inits.sort(Long::compare);
            System.out.printf("%-9s %6d ms %5d ms %5d ms %5d ms %6.0f ms  %s (%.1f MB)%n", f.name(), totals.get(runs / 2), totals.get(0),
                    totals.get(runs - 1), inits.get(runs / 2), f.targetMillis(), root.relativize(jar(root, f)),
                    Files.size(jar(root, f)) / 1e6);
            System.out.printf("          last answer: %s%n", lastResult);
        }
        dynamo.close();
        sqs.close();
    }

    /** The sample event, made current: a fresh accepted message for the queue functions, a valid signature for webhooks. */
    private static Path prepareEvent(Path root, Function f, Dripline core, Path work, int run) throws IOException {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(root.resolve(f.event()).toFile());
        String messageId = "msg_BENCH" + f.name().toUpperCase() + run + "_" + System.nanoTime();
        Instant now = Instant.now();
        core.messageStore().create(new Message(messageId, Direction.OUTBOUND, "ct_bench", "+14155550199", null, "Cold start " + run,
                Category.TRANSACTIONAL, MessageStatus.ACCEPTED, List.of(new Message.StatusChange(MessageStatus.ACCEPTED, now, null)),
                null, null, null, null, null, null, now, null));
        switch (f.name()) {
            case "sender" -> ((ObjectNode) event.withArray("Records").get(0)).put("body", Json.write(Map.of("messageId", messageId)));
            case "steps" -> ((ObjectNode) event.withArray("Records").get(0)).put("body", Json.write(new Due.ScheduledSend(messageId)));
            case "api" -> event.with("headers").put("authorization", "Bearer " + API_KEY);
            case "webhooks" -> {
                event.put("rawQueryString", "m=" + messageId);
                event.with("queryStringParameters").put("m", messageId);
                String url = "https://sms.example.com" + event.path("rawPath").asText() + "?m=" + messageId;
                String body = event.path("body").asText();
                event.with("headers").put(SimulatorSignature.HEADER.toLowerCase(), SimulatorSignature.sign(SECRET, Instant.now(), url, body));
            }
            default -> throw new IllegalArgumentException(f.name());
        }
        Path file = work.resolve(f.name() + "-" + run + ".json");
        Files.writeString(file, Json.write(event));
        return file;
    }

    private static String invoke(Path root, Function f, Path invoker, Path event, Map<String, String> env, Map<String, Long> figures)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        // Extra JVM options for investigating (e.g. -Xlog:class+load:file=/tmp/classes.txt); not used for the reported figures.
        String extra = System.getenv("COLD_START_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", jar(root, f) + File.pathSeparator + invoker, InvokeOnce.class.getName(), f.handler(), event.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        // Lambda sets these in every function's environment.
        pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "dripline-" + f.name());
        pb.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(f.name() + " did not handle its event:\n" + output);
        }
        String line = output.lines().filter(l -> l.startsWith("COLDSTART ")).findFirst()
                .orElseThrow(() -> new IllegalStateException(f.name() + " printed no figures:\n" + output));
        for (String part : line.split(" ")) {
            if (part.endsWith("_ms") || part.contains("_ms=")) {
                String[] kv = part.split("=");
                figures.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return line.substring(line.indexOf("result=") + 7);
    }

    private static Path jar(Path root, Function f) {
        return root.resolve("functions/" + f.name() + "/target/dripline-" + f.name() + "-0.1.0-SNAPSHOT-lambda.jar");
    }

    /** InvokeOnce's class file alone, so the function JVM sees nothing else of the local runtime. */
    private static Path invokerClasses() throws IOException {
        Path dir = Files.createTempDirectory("dripline-invoker");
        for (String name : new String[] {"InvokeOnce", "InvokeOnce$BenchContext", "InvokeOnce$BenchContext$1"}) {
            String resource = "/" + InvokeOnce.class.getPackageName().replace('.', '/') + "/" + name + ".class";
            Path target = dir.resolve(resource.substring(1));
            Files.createDirectories(target.getParent());
            try (InputStream in = ColdStart.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + resource);
                }
                Files.copy(in, target);
            }
        }
        return dir;
    }

    /** Answers the simulator adapter's send the way the local carrier does: 201 {id}. */
    private static HttpServer carrierStub() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"id\":\"sim_bench\",\"parts\":1}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final class NoSchedules implements StepScheduler {
        @Override
        public void schedule(String name, Instant at, Due due) {
            throw new UnsupportedOperationException("the cold-start benchmark schedules nothing");
        }

        @Override
        public void cancel(String name) {
        }
    }
}
