package dev.dripline.local.lambdacheck;

import dev.dripline.local.lambdacheck.LambdaCases.Answer;
import dev.dripline.local.lambdacheck.LambdaCases.Case;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.json.Json;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    // The cases are in LambdaCases, the local services and stand-ins in LocalAws.

    static final String API_KEY = "dripline-example-api-key";
    private static final Pattern INIT = Pattern.compile("INIT REPORT\\(durationMs: ([0-9.]+)\\)");

    private final Path buildDir;
    private final Path ricDir;
    private final String emulator;
    private final Path events;
    private final Path work;
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private final List<Result> results = new ArrayList<>();
    private final List<String> coldStarts = new ArrayList<>();
    private String only;

    record Result(String function, String event, String check, boolean passed, String detail, long millis) {
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
        try (LocalAws aws = new LocalAws()) {
            Map<String, String> parameters = new LinkedHashMap<>();
            // The stub carrier is the simulator; the template names no provider by default (sends answer 503).
            parameters.put("Providers", "simulator");
            parameters.put("SimulatorUrl", aws.carrierUrl());
            TestProviders.secrets().forEach((parameter, value) -> {
                parameters.put(parameter, LocalAws.SECRET_ARN + "lambda-check/" + parameter);
                aws.secrets.put(LocalAws.SECRET_ARN + "lambda-check/" + parameter, value);
            });
            List<SamTemplate.FunctionSpec> functions = SamTemplate.read(templateFile, parameters, aws.resources()).functions();
            Map<String, String> local = aws.environment();

            Map<String, String> coreEnv = new HashMap<>(functions.get(0).environment());
            coreEnv.putAll(local);
            Dripline core = new Dripline(Settings.from(coreEnv), aws.dynamo, aws.sqs, new NoSchedules(), Clock.systemUTC());
            core.createTables();

            List<Case> cases = new LambdaCases(core, aws).all();
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
        }
        return report((System.nanoTime() - started) / 1_000_000_000);
    }

    private void runFunction(SamTemplate.FunctionSpec f, Map<String, String> env, List<Case> cases) throws Exception {
        Path dir = buildDir.resolve(f.logicalId());
        if (!Files.isDirectory(dir)) {
            cases.forEach(c -> results.add(new Result(f.logicalId(), c.event(), c.check(), false, dir + " is missing", 0)));
            return;
        }
        int invokePort = LocalAws.freePort();
        int runtimePort = LocalAws.freePort();
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
