package dev.dripline.local.lambdacheck;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.audience.AudienceTable;
import dev.dripline.json.Json;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Proof that the functions run as Lambda runs them: each function directory of a {@code sam build}
 * output is started by AWS Lambda's Java Runtime Interface Client under the Runtime Interface
 * Emulator, with the handler string and environment template.yaml gives it (resources pointed at
 * DynamoDB Local's server, ElasticMQ, a local Secrets Manager holding test credentials and a stub
 * carrier, all on 127.0.0.1), and fed the sample events of events/. Each answer and what it
 * stored is checked; each function's cold start (emulator start to first answer) is printed.
 *
 * <pre>java -jar local/target/dripline-local.jar lambda-check BUILD_DIR --ric RIC_JAR_DIR [--emulator aws-lambda-rie]
 *     [--template template.yaml] [--events events] [--timeout 900]</pre>
 * Run by .ci/lambda-check.sh after sam build. Exit 0 when every check passed, 1 otherwise, 2 on a timeout.
 */
public final class LambdaCheck {

    static final String API_KEY = "dripline-example-api-key";
    static final String MESSAGE_ID = "msg_01JEXAMPLE00000000000000000";
    private static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";
    private static final String AMZ_JSON = "application/x-amz-json-1.1";
    private static final Pattern INIT = Pattern.compile("INIT REPORT\\(durationMs: ([0-9.]+)\\)");

    private final Path buildDir;
    private final Path ricDir;
    private final String emulator;
    private final Path events;
    private final Path work;
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private final List<Result> results = new ArrayList<>();
    private final List<String> coldStarts = new ArrayList<>();
    private final AtomicInteger carrierCalls = new AtomicInteger();
    private final Map<String, String> secrets = new HashMap<>();
    private String only;
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private Dripline core;
    private Map<String, String> queues = new HashMap<>();

    record Result(String function, String event, String check, boolean passed, String detail, long millis) {
    }

    /** An answer from the emulator: HTTP status of the invoke call and the handler's JSON. */
    record Answer(int invokeStatus, JsonNode json, String raw) {
        int statusCode() {
            return json.path("statusCode").asInt(-1);
        }

        String body() {
            return json.path("body").asText("");
        }
    }

    /** One event for one function: what to store first, how to change the event, what must hold after. */
    record Case(String function, String event, String check, Runnable seed, Function<ObjectNode, ObjectNode> prepare,
                Function<Answer, String> verify) {
    }

    private LambdaCheck(Path buildDir, Path ricDir, String emulator, Path events, Path work) {
        this.buildDir = buildDir;
        this.ricDir = ricDir;
        this.emulator = emulator;
        this.events = events;
        this.work = work;
    }

    public static void run(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        if (options.containsKey("sign-events")) {
            TestProviders.signEvents(Path.of(options.get("sign-events")));
            return;
        }
        if (positional.size() != 1 || !options.containsKey("ric")) {
            throw new IllegalArgumentException("usage: lambda-check BUILD_DIR --ric RIC_JAR_DIR [--emulator PATH] [--template FILE] "
                    + "[--events DIR] [--timeout SECONDS]  |  lambda-check --sign-events DIR");
        }
        Path build = Path.of(positional.get(0)).toAbsolutePath();
        Path ric = Path.of(options.get("ric")).toAbsolutePath();
        if (!Files.isDirectory(build) || !Files.isDirectory(ric)) {
            throw new IllegalArgumentException("not a directory: " + (Files.isDirectory(build) ? ric : build));
        }
        long timeout = Long.parseLong(options.getOrDefault("timeout", "900"));
        LambdaCheck check = new LambdaCheck(build, ric, options.getOrDefault("emulator", "aws-lambda-rie"),
                Path.of(options.getOrDefault("events", "events")), Files.createTempDirectory("dripline-lambda-check"));
        check.only = options.get("only");
        check.watchdog(timeout);
        boolean passed = check.runAll(Path.of(options.getOrDefault("template", "template.yaml")));
        System.exit(passed ? 0 : 1);
    }

    /** Ends the run, children included, if it takes longer than it may. */
    private void watchdog(long seconds) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("lambda-check: TIMED OUT after " + seconds + " s; stopping the emulators");
            stopChildren();
            System.exit(2);
        }, "lambda-check-watchdog");
        t.setDaemon(true);
        t.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopChildren, "lambda-check-children"));
    }

    private boolean runAll(Path templateFile) throws Exception {
        long started = System.nanoTime();
        int dynamoPort = freePort();
        // DynamoDB Local's server has no bind-address option: it listens on all interfaces for the run only.
        DynamoDBProxyServer dynamoServer = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(dynamoPort), "-disableTelemetry"});
        dynamoServer.start();
        SQSRestServer sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        HttpServer carrier = server("/messages", this::carrier);
        HttpServer secretsManager = server("/", this::secretsManager);
        try {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("lambdacheck", "lambdacheck"));
            dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + dynamoPort))
                    .region(Region.US_EAST_1).credentialsProvider(credentials).build();
            sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + sqsPort))
                    .region(Region.US_EAST_1).credentialsProvider(credentials).build();

            Map<String, String> parameters = new LinkedHashMap<>();
            // The stub carrier is the simulator; the template names no provider by default (sends answer 503).
            parameters.put("Providers", "simulator");
            parameters.put("SimulatorUrl", "http://127.0.0.1:" + carrier.getAddress().getPort());
            TestProviders.secrets().forEach((parameter, value) -> {
                parameters.put(parameter, SECRET_ARN + "lambda-check/" + parameter);
                secrets.put(SECRET_ARN + "lambda-check/" + parameter, value);
            });
            SamTemplate template = SamTemplate.read(templateFile, parameters, new LocalResources());
            List<SamTemplate.FunctionSpec> functions = template.functions();

            Map<String, String> local = new HashMap<>();
            local.put("AWS_REGION", "us-east-1");
            local.put("AWS_DEFAULT_REGION", "us-east-1");
            local.put("AWS_ACCESS_KEY_ID", "lambdacheck");
            local.put("AWS_SECRET_ACCESS_KEY", "lambdacheck");
            local.put("DRIPLINE_DYNAMODB_ENDPOINT", "http://127.0.0.1:" + dynamoPort);
            local.put("DRIPLINE_SQS_ENDPOINT", "http://127.0.0.1:" + sqsPort);
            // The SDK's own per-service endpoint variable: the functions read their secrets here, unchanged.
            local.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + secretsManager.getAddress().getPort());

            Map<String, String> coreEnv = new HashMap<>(functions.get(0).environment());
            coreEnv.putAll(local);
            core = new Dripline(Settings.from(coreEnv), dynamo, sqs, new NoSchedules(), Clock.systemUTC());
            core.createTables();

            List<Case> cases = cases();
            System.out.printf("%nlambda-check: %s (sam build output), Runtime Interface Client %s, emulator %s%n",
                    buildDir, ricDir, emulator);
            for (SamTemplate.FunctionSpec f : functions) {
                if (only != null && !only.equals(f.logicalId())) {
                    continue;
                }
                List<Case> mine = cases.stream().filter(c -> c.function().equals(f.logicalId())).toList();
                if (mine.isEmpty()) {
                    results.add(new Result(f.logicalId(), "-", "has sample events to check", false,
                            "no case for this function: add its events to LambdaCheck", 0));
                    continue;
                }
                Map<String, String> env = new LinkedHashMap<>(f.environment());
                env.putAll(local);
                runFunction(f, env, mine);
            }
            for (Case c : cases) {
                if (only == null && functions.stream().noneMatch(f -> f.logicalId().equals(c.function()))) {
                    results.add(new Result(c.function(), c.event(), c.check(), false, "template.yaml has no such function", 0));
                }
            }
        } finally {
            stopChildren();
            carrier.stop(0);
            secretsManager.stop(0);
            sqsServer.stopAndWait();
            dynamoServer.stop();
        }
        return report((System.nanoTime() - started) / 1_000_000_000);
    }

    private void runFunction(SamTemplate.FunctionSpec f, Map<String, String> env, List<Case> cases) throws Exception {
        Path dir = buildDir.resolve(f.logicalId());
        if (!Files.isDirectory(dir)) {
            cases.forEach(c -> results.add(new Result(f.logicalId(), c.event(), c.check(), false, dir + " is missing", 0)));
            return;
        }
        int invokePort = freePort();
        int runtimePort = freePort();
        String classPath = String.join(File.pathSeparator, dir.toString(), dir + "/lib/*", ricDir + "/*");
        List<String> command = List.of(emulator,
                "--runtime-interface-emulator-address", "127.0.0.1:" + invokePort,
                "--runtime-api-address", "127.0.0.1:" + runtimePort,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Lambda's Java runtime's own flags (C1 only, serial GC, class data sharing).
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", classPath, "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", f.handler());
        Path log = work.resolve(f.logicalId() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "dripline-lambda-check-" + f.logicalId());
        System.out.printf("  %s: %s%n", f.logicalId(), f.handler());
        long start = System.nanoTime();
        Process process = pb.start();
        children.add(process);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI invoke = URI.create("http://127.0.0.1:" + invokePort + "/2015-03-31/functions/function/invocations");
        boolean first = true;
        try {
            for (Case c : cases) {
                long caseStart = System.nanoTime();
                try {
                    c.seed().run();
                    ObjectNode event = c.prepare().apply((ObjectNode) Json.mapper().readTree(events.resolve(c.event()).toFile()));
                    Answer answer = invoke(http, invoke, Json.write(event), process);
                    long now = System.nanoTime();
                    if (first) {
                        coldStarts.add(String.format("%-17s %7d ms %9s  %s", f.logicalId(), (now - start) / 1_000_000,
                                initDuration(log), f.handler()));
                        first = false;
                    }
                    String problem = answer.json().has("errorType") ? "function error: " + answer.raw() : c.verify().apply(answer);
                    results.add(new Result(f.logicalId(), c.event(), c.check(), problem == null,
                            problem == null ? "" : problem + logTail(log), (now - caseStart) / 1_000_000));
                } catch (Exception e) {
                    results.add(new Result(f.logicalId(), c.event(), c.check(), false, e + logTail(log),
                            (System.nanoTime() - caseStart) / 1_000_000));
                    if (!process.isAlive()) {
                        break;
                    }
                }
            }
        } finally {
            stop(process);
        }
    }

    private Answer invoke(HttpClient http, URI uri, String event, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(response.statusCode(), Json.mapper().readTree(response.body()), response.body());
            } catch (ConnectException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the emulator did not start (exit " + (process.isAlive() ? "-" : process.exitValue()) + ")");
                }
                Thread.sleep(20);
            }
        }
    }

    private static String initDuration(Path log) {
        try {
            Matcher m = INIT.matcher(Files.readString(log));
            return m.find() ? Math.round(Double.parseDouble(m.group(1))) + " ms" : "-";
        } catch (IOException e) {
            return "-";
        }
    }

    private static String logTail(Path log) {
        try {
            // The function's own lines (the emulator's are START/END/REPORT and "(rapid)").
            List<String> lines = Files.readAllLines(log).stream()
                    .filter(l -> !l.contains("(rapid)") && !l.matches("^(START|END|REPORT) RequestId.*"))
                    .map(l -> l.length() > 400 ? l.substring(0, 400) + "..." : l).toList();
            return lines.isEmpty() ? "" : "\n      log: " + String.join("\n      log: ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.remove(process);
    }

    private void stopChildren() {
        for (Process p : children) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private boolean report(long seconds) {
        System.out.printf("%n%-17s %-34s %-58s %-6s %7s%n", "function", "event", "check", "result", "time");
        for (Result r : results) {
            System.out.printf("%-17s %-34s %-58s %-6s %5d ms%n", r.function(), r.event(), r.check(), r.passed() ? "PASS" : "FAIL", r.millis());
            if (!r.passed()) {
                System.out.println("      " + r.detail());
            }
        }
        System.out.printf("%nCold start under the emulator (emulator start, JVM start, init, first event answered; %d cores, Java %s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("%-17s %10s %9s  %s%n", "function", "to answer", "init", "handler");
        coldStarts.forEach(System.out::println);
        long passed = results.stream().filter(Result::passed).count();
        long failed = results.size() - passed;
        System.out.printf("%nThe functions' output: %s/<function>.log%n", work);
        System.out.printf("lambda-check: %d passed, %d failed (%d s)%n", passed, failed, seconds);
        return failed == 0 && passed > 0;
    }

    // ---- the cases ------------------------------------------------------------------------------

    private List<Case> cases() {
        Function<ObjectNode, ObjectNode> asIs = e -> e;
        Function<ObjectNode, ObjectNode> signedNow = e -> TestProviders.signed(e, Instant.now());
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("ApiFunction", "api-post-contact.json", "201, the contact stored", () -> { }, asIs,
                a -> all(status(a, 201), core.contacts().byPhone("+14155550123").isPresent() ? null : "no contact +1415555**23 stored")));
        cases.add(new Case("ApiFunction", "api-get-message.json", "200 with the stored message",
                () -> seedMessage(MessageStatus.SENT, null, null), asIs,
                a -> all(status(a, 200), a.body().contains(MESSAGE_ID) ? null : "the body does not carry " + MESSAGE_ID)));
        cases.add(new Case("ApiFunction", "api-get-short-link.json", "404 problem+json for an unknown code", () -> { }, asIs,
                a -> all(status(a, 404), a.json().path("headers").toString().contains("application/problem+json") ? null
                        : "not application/problem+json")));

        cases.add(inbound("webhooks-twilio-inbound.json", "+14155550142", 200));
        cases.add(receipt("webhooks-twilio-status.json", "twilio", "SM9e8d7c6b5a4938271605f4e3d2c1b0a9"));
        cases.add(new Case("WebhooksFunction", "webhooks-twilio-inbound.json", "403 with a wrong signature, nothing stored",
                () -> { }, e -> {
                    ObjectNode signed = TestProviders.signed(e, Instant.now());
                    signed.with("headers").put("x-twilio-signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
                    String body = TestProviders.rawBody(signed).replace("%2B14155550142", "%2B14155550149");
                    signed.put("body", java.util.Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
                    return signed;
                },
                a -> all(status(a, 403), core.contacts().byPhone("+14155550149").isEmpty() ? null : "a contact was stored")));
        cases.add(inbound("webhooks-plivo-inbound.json", "+14155550143", 204));
        cases.add(receipt("webhooks-plivo-status.json", "plivo", "db3ce55a-7f1d-11f0-8b6e-0242ac110003"));
        cases.add(inbound("webhooks-telnyx-inbound.json", "+14155550144", 204));
        cases.add(receipt("webhooks-telnyx-status.json", "telnyx", "40385f64-5717-4562-b3fc-2c963f66afa6"));

        // The template configures no simulator secret (DRIPLINE_SIMULATOR_SECRET): its callbacks must be refused.
        cases.add(new Case("WebhooksFunction", "webhooks-simulator-status.json", "403 without a simulator secret, nothing changed",
                () -> seedMessage(MessageStatus.SENT, "simulator", "sim_01JEXAMPLE00000000000000001"), asIs,
                a -> all(status(a, 403), messageStatus(MessageStatus.SENT))));

        cases.add(new Case("StepsFunction", "sqs-steps.json", "no failures; the due send queued", () -> {
            seedMessage(MessageStatus.ACCEPTED, null, null);
            purge("SendQueue");
        }, asIs, a -> all(noFailures(a), queued("SendQueue", MESSAGE_ID))));
        cases.add(new Case("ImportsFunction", "sqs-imports.json", "no failures; 2 contacts stored, job counted",
                this::seedImport, asIs, a -> all(noFailures(a), importDone())));
        cases.add(new Case("SenderFunction", "sqs-send.json", "no failures; the carrier got it, message queued", () -> {
            seedMessage(MessageStatus.ACCEPTED, null, null);
            carrierCalls.set(0);
        }, asIs, a -> all(noFailures(a), carrierCalls.get() == 1 ? null : "the carrier stub got " + carrierCalls.get() + " calls",
                messageStatus(MessageStatus.QUEUED))));
        return cases;
    }

    /** An inbound webhook, signed with the test credentials (Telnyx: now): answered, the sender stored as a contact with the message. */
    private Case inbound(String event, String from, int status) {
        return new Case("WebhooksFunction", event, status + ", contact and inbound message stored", () -> { },
                e -> checkedSignature(e),
                a -> all(status(a, status), inboundStored(from)));
    }

    private String inboundStored(String from) {
        var contact = core.contacts().byPhone(from);
        if (contact.isEmpty()) {
            return "no contact " + from.substring(0, from.length() - 4) + "**" + from.substring(from.length() - 2) + " stored";
        }
        return core.messageStore().conversation(contact.get().id(), 10, null).items().stream()
                .anyMatch(m -> m.direction() == Direction.INBOUND) ? null : "no inbound message stored for the contact";
    }

    /** A status callback for a message handed to the provider: answered 204, the message delivered. */
    private Case receipt(String event, String provider, String providerId) {
        return new Case("WebhooksFunction", event, "204, the message marked delivered",
                () -> seedMessage(MessageStatus.SENT, provider, providerId), this::checkedSignature,
                a -> all(status(a, 204), messageStatus(MessageStatus.DELIVERED)));
    }

    /** Twilio's and Plivo's stored signatures must be the test credentials' (a time-free signature); Telnyx's are made now. */
    private ObjectNode checkedSignature(ObjectNode event) {
        ObjectNode signed = TestProviders.signed(event, Instant.now());
        if (!TestProviders.provider(event).equals("telnyx") && !signed.path("headers").equals(event.path("headers"))) {
            throw new IllegalStateException("the event's signature is not the test credentials' (run lambda-check --sign-events events)");
        }
        return signed;
    }

    private void seedMessage(MessageStatus status, String provider, String providerId) {
        dynamo.deleteItem(r -> r.tableName(core.messageStore().tableName()).key(Map.of("id", AttributeValue.fromS(MESSAGE_ID))));
        Instant now = Instant.now();
        List<Message.StatusChange> history = new ArrayList<>();
        history.add(new Message.StatusChange(MessageStatus.ACCEPTED, now.minusSeconds(5), null));
        if (status != MessageStatus.ACCEPTED) {
            history.add(new Message.StatusChange(status, now.minusSeconds(4), null));
        }
        core.messageStore().create(new Message(MESSAGE_ID, Direction.OUTBOUND, "ct_lambdacheck", "+14155550199", "+14155550100",
                "Your order has shipped.", Category.TRANSACTIONAL, status, history, provider, providerId, "GSM-7", 1, null, null,
                now.minusSeconds(5), null, null));
    }

    private void seedImport() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(AudienceTable.PK, AttributeValue.fromS("imp_01JEXAMPLE00000000000000000"));
        item.put(AudienceTable.SK, AttributeValue.fromS("import"));
        item.put("rows", AttributeValue.fromN("2"));
        item.put("chunks", AttributeValue.fromN("1"));
        item.put("actor", AttributeValue.fromS("key:default"));
        item.put("createdAt", AttributeValue.fromS(Instant.now().toString()));
        for (String counter : List.of("processed", "created", "updated", "merged", "rejected", "errorCount", "storedErrors")) {
            item.put(counter, AttributeValue.fromN("0"));
        }
        dynamo.putItem(r -> r.tableName(core.settings().tables().audience()).item(item));
    }

    private String importDone() {
        List<String> missing = List.of("+14155550161", "+14155550162").stream().filter(p -> core.contacts().byPhone(p).isEmpty())
                .map(p -> p.substring(0, p.length() - 4) + "**" + p.substring(p.length() - 2)).toList();
        if (!missing.isEmpty()) {
            return "contacts not stored: " + missing;
        }
        Map<String, AttributeValue> job = dynamo.getItem(r -> r.tableName(core.settings().tables().audience()).consistentRead(true)
                .key(Map.of(AudienceTable.PK, AttributeValue.fromS("imp_01JEXAMPLE00000000000000000"),
                        AudienceTable.SK, AttributeValue.fromS("import")))).item();
        String processed = job == null || !job.containsKey("processed") ? "none" : job.get("processed").n();
        return processed.equals("2") ? null : "the import job counts " + processed + " processed rows, not 2";
    }

    private String messageStatus(MessageStatus expected) {
        MessageStatus actual = core.messageStore().get(MESSAGE_ID).map(Message::status).orElse(null);
        return actual == expected ? null : "message status " + actual + ", expected " + expected;
    }

    private void purge(String queue) {
        String url = queues.get(queue);
        while (!sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages().isEmpty()) {
            sqs.purgeQueue(r -> r.queueUrl(url));
        }
    }

    private String queued(String queue, String text) {
        var received = sqs.receiveMessage(r -> r.queueUrl(queues.get(queue)).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        return received.stream().anyMatch(m -> m.body().contains(text)) ? null
                : queue + " holds no message with " + text + " (" + received.size() + " messages)";
    }

    private static String status(Answer a, int expected) {
        return a.statusCode() == expected ? null
                : "status " + a.statusCode() + ", expected " + expected + ": " + a.raw().substring(0, Math.min(300, a.raw().length()));
    }

    private static String noFailures(Answer a) {
        JsonNode failures = a.json().path("batchItemFailures");
        return failures.isArray() && failures.isEmpty() ? null : "batchItemFailures not empty: " + a.raw();
    }

    private static String all(String... problems) {
        String joined = java.util.Arrays.stream(problems).filter(Objects::nonNull).collect(Collectors.joining("; "));
        return joined.isEmpty() ? null : joined;
    }

    // ---- local stand-ins -----------------------------------------------------------------------

    /** What Ref and Fn::GetAtt give locally: tables by name, queues created in ElasticMQ, secrets in the local Secrets Manager. */
    private final class LocalResources implements SamTemplate.Resources {
        @Override
        public String ref(String logicalId, String type) {
            return switch (type) {
                case "AWS::DynamoDB::Table" -> "lambda-check-" + logicalId;
                case "AWS::SQS::Queue" -> queues.computeIfAbsent(logicalId, id -> sqs.createQueue(r -> r.queueName(id)).queueUrl());
                case "AWS::SecretsManager::Secret" -> {
                    String arn = SECRET_ARN + logicalId;
                    secrets.putIfAbsent(arn, switch (logicalId) {
                        case "ApiKeySecret" -> API_KEY;
                        case "VerifySecret" -> "{\"secret\":\"lambda-check-verify-secret-0123456789\"}";
                        default -> "lambda-check-" + logicalId + "-0123456789abcdef";
                    });
                    yield arn;
                }
                default -> logicalId;
            };
        }

        @Override
        public String attribute(String logicalId, String type, String attribute) {
            if (attribute.equals("Arn")) {
                String service = type == null ? "unknown" : type.split("::")[1].toLowerCase(java.util.Locale.ROOT);
                return "arn:aws:" + service + ":us-east-1:000000000000:" + logicalId;
            }
            return logicalId + "." + attribute;
        }

        @Override
        public String secretValue(String secretArn) {
            String value = secrets.get(secretArn);
            if (value == null) {
                throw new IllegalArgumentException("no local value for the secret " + secretArn);
            }
            return value;
        }
    }

    /** Secrets Manager's GetSecretValue (JSON 1.1 protocol) over the secrets above. */
    private void secretsManager(HttpExchange exchange) throws IOException {
        JsonNode request = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String id = request.path("SecretId").asText();
        String value = secrets.get(id);
        if (!"secretsmanager.GetSecretValue".equals(target) || value == null) {
            respond(exchange, 400, AMZ_JSON, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}");
            return;
        }
        respond(exchange, 200, AMZ_JSON, Json.write(Map.of("ARN", id, "Name", id.substring(id.lastIndexOf(':') + 1), "SecretString", value,
                "VersionId", "00000000-0000-0000-0000-000000000001", "CreatedDate", 1.7e9)));
    }

    /** The simulated carrier's send, answered as the local carrier does: 201 {id}. */
    private void carrier(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        carrierCalls.incrementAndGet();
        respond(exchange, 201, "application/json", "{\"id\":\"sim_lambdacheck_" + carrierCalls.get() + "\",\"parts\":1}");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static HttpServer server(String path, Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            try {
                handler.handle(exchange);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static final class NoSchedules implements StepScheduler {
        @Override
        public void schedule(String name, Instant at, Due due) {
            throw new UnsupportedOperationException("the lambda check schedules nothing itself");
        }

        @Override
        public void cancel(String name) {
        }
    }
}
