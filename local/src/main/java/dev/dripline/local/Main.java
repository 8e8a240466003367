package dev.dripline.local;

import dev.dripline.local.bench.ColdStart;
import dev.dripline.local.bench.WebhookLoad;
import dev.dripline.local.bench.Throughput;
import dev.dripline.messaging.encoding.SegmentsCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code java -jar local/target/dripline-local.jar [command]}: with no command, starts the
 * local runtime; {@code segments} counts SMS segments for JSON lines on stdin.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // The function jars on this classpath carry the Lambdas' JSON logback.xml; locally, readable lines.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dripline-local-logback.xml");
        }
        String command = args.length == 0 ? "run" : args[0];
        if (command.equals("run")) {
            run();
            return;
        }
        // Every other command ends when its work is done: the engines some of them start leave
        // non-daemon threads behind (DynamoDB Local's server keeps its shard-rollover job running
        // after stop()), which would otherwise keep the JVM alive after the last line is printed.
        int status = 0;
        try {
            command(command, args);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private static void command(String command, String[] args) throws Exception {
        switch (command) {
            case "cold-start" -> ColdStart.run(args);
            case "lambda-check" -> dev.dripline.local.lambdacheck.LambdaCheck.run(args);
            case "webhook-load" -> WebhookLoad.run(args);
            case "import-bench" -> dev.dripline.local.bench.ImportBenchmark.run(args);
            case "throughput" -> Throughput.run(args, System.out);
            case "cost-model" -> dev.dripline.local.bench.CostModel.run(args, System.out);
            case "broadcast-bench" -> dev.dripline.local.bench.BroadcastBench.run(args, System.out);
            case "engine-ceiling" -> dev.dripline.local.bench.EngineCeiling.run(args, System.out);
            case "stats-bench" -> dev.dripline.local.bench.StatsBenchmark.run(args, System.out);
            case "drip-bench" -> dev.dripline.local.bench.DripBenchmark.run(args, System.out);
            case "reconcile" -> reconcile(args);
            case "fault-injection" -> dev.dripline.local.faults.FaultInjection.run(args, System.out);
            case "crash-test" -> dev.dripline.local.faults.CrashDrill.run(args, System.out);
            case "segments" -> SegmentsCommand.run(System.in, System.out);
            case "pinpoint-import" -> PinpointImport.run(args, System.out);
            case "help", "--help", "-h" -> usage(System.out);
            default -> {
                System.err.println("unknown command '" + command + "' " + Arrays.toString(args));
                usage(System.err);
                System.exit(2);
            }
        }
    }

    private static void run() {
        long start = System.nanoTime();
        LocalRuntime runtime;
        try {
            runtime = LocalRuntime.start(System.getenv());
        } catch (RuntimeException e) {
            // One line that says what to change; what had started is stopped, and the JVM ends.
            System.err.println("dripline: cannot start: " + (e instanceof LocalRuntime.StartFailure ? e.getMessage() : e));
            System.exit(1);
            return;
        }
        long readyMillis = (System.nanoTime() - start) / 1_000_000;
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "shutdown"));
        String url = runtime.url().toString();
        String key = runtime.apiKey();
        System.out.printf("""

                Dripline local runtime ready in %.1f s (JVM start to here: %d ms)
                  URL      %s
                  API key  %s  (admin: may make scoped keys with POST /v1/api-keys)
                  dashboard %s/dashboard#key=%s
                  engines  DynamoDB Local (embedded), ElasticMQ %s; simulated carrier; movable clock

                Try it:
                  curl -s -X POST %s/v1/contacts -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '{"phone":"+14155550123","firstName":"Ada"}'
                  curl -s -X POST %s/v1/messages -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '{"to":"+14155550123","body":"Your code is 123456"}'
                  curl -s %s/local/phones/+14155550123/messages
                  OpenAPI  %s/openapi.yml
                %n""",
                readyMillis / 1000.0, java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(),
                url, key, url, key, runtime.engines().sqsEndpoint(), url, key, url, key, url, url);
    }

    /** Recounts one campaign's or broadcast's counters from its message items, on the data directory's tables. */
    private static void reconcile(String[] args) {
        if (args.length < 3 || !(args[1].equals("campaign") || args[1].equals("broadcast"))) {
            System.err.println("usage: reconcile campaign|broadcast <id>");
            System.exit(2);
        }
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("DRIPLINE_PORT", "0");
        try (LocalRuntime runtime = LocalRuntime.start(env)) {
            var reconciliation = runtime.dripline().reconciliation();
            var report = args[1].equals("campaign") ? reconciliation.campaign(args[2]) : reconciliation.broadcast(args[2]);
            System.out.println("recounted from messages: " + report.recounted());
            System.out.println(report.matches() ? "counters match the messages"
                    : "differences (scope, metric, counted, recounted): " + report.differences());
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: java -jar local/target/dripline-local.jar [command]
                  (none), run   start the local runtime on DRIPLINE_PORT (default 8080)
                  segments      JSON lines {"text": ..., "smartEncoding": true|false} on stdin → one line per input on
                                stdout: {"encoding", "segments", "units", "smartEncodedText"?}
                  cold-start [runs]  measure each function's cold start from its packaged jar
                                (run from the repository root after 'mvn -q -B -DskipTests package')
                  lambda-check BUILD_DIR --ric RIC_JAR_DIR [--emulator aws-lambda-rie] [--template template.yaml] [--events events]
                                [--timeout 900]  start each function of a sam build output (BUILD_DIR/<LogicalId>) with
                                Lambda's Runtime Interface Client under the Runtime Interface Emulator, with template.yaml's
                                handler and environment, feed it the events/ samples and check answers and stored data
                                (.ci/lambda-check.sh fetches the client and the emulator); --sign-events DIR re-signs the
                                provider webhook samples with the check's test credentials
                  webhook-load [seconds] [rate] [--warmup=20] [--in-flight=64] [--phones=3000] [--profile]
                                the runtime in-process on a free loopback port, signed simulator inbound webhooks
                                sent open-loop (default 30 s at 600 req/s after a 20 s warm-up); prints p50/p90/p99/max,
                                errors, and checks every message was stored exactly once; --profile summarises a JFR
                                recording of the measured part
                  import-bench [rows]  import a generated CSV (default 100,000 rows) through /v1/imports on an
                                in-memory runtime, printing progress each second, then rows/s and DynamoDB calls per row
                  throughput [messages] [--limit segmentsPerSecond] [--warmup n]
                                end-to-end sending benchmark on the in-process runtime (default 20000 messages,
                                unlimited simulator sender; with --limit, default 600 messages at that rate); without
                                --limit it then replays its counted calls per message on the same engines alone
                                (engine-ceiling) and prints its figure as a percentage of that ceiling
                  cost-model [n] [--trace]
                                AWS charges per path, measured on the in-process runtime (each path n times, default
                                200, over HTTP): an inbound reply, a one-off message with its 2 receipts, a broadcast
                                recipient, an API read; DynamoDB read/write units, SQS, Scheduler, API Gateway, Lambda
                                invocations and GB-s at the template's memory sizes, log bytes; dollars per million
                                from a dated us-east-1 price table; --trace also prints each path's DynamoDB calls
                                and capacity units by shape (operation, table, key family, expression)
                  broadcast-bench [n]  a marketing broadcast to n (default 5,000) opted-in recipients in their daytime,
                                end to end on the in-process runtime through the simulated carrier: messages/s and
                                AWS calls per recipient
                  engine-ceiling [messages]  the local engines alone (embedded DynamoDB Local, ElasticMQ) driven with
                                the one-off send path's calls per message (default 5,000 after a warm-up): messages/s
                  stats-bench [messages] [requests]  load a campaign's counters as that many messages would
                                (default 1,000,000; through the Tally API, one counter write per batch of messages) and time
                                GET /v1/campaigns/{id}/stats over HTTP (default 200 requests after a warm-up): p50/p99/max
                  reconcile campaign|broadcast <id>  recount a campaign's or broadcast's counters from its messages
                                (DRIPLINE_DATA_DIR's tables) and print the differences
                  fault-injection [--fast] [--messages N] [--outage PT10M]
                                the in-process runtime sending through the Twilio adapter to a faulty Twilio stub on
                                127.0.0.1 (500, 429 + Retry-After, refused, reset, stalled, refused past validity); prints
                                per scenario: accepted, delivered once, doubled, lost, stuck, failed, expired, unknown
                                (default: a 10-minute outage per scenario; --fast: 2 s, as the CI tests run it)
                  crash-test [recipients]  the runtime in a child JVM on a data directory, killed with SIGKILL during a
                                broadcast's fan-out (default 1,000 recipients), while one-off messages are sent, and
                                before a scheduled broadcast starts, then restarted on the same directory; prints per
                                scenario messages accepted, delivered, doubled, lost and stuck (exit 1 unless all clean)
                  pinpoint-import DIR [--dry-run]  import a Pinpoint export folder (endpoint files of CreateExportJob,
                                gzip'd or not; get-segment, get-journey, get-sms-template JSON) into DRIPLINE_DATA_DIR's tables:
                                contacts, segments, draft campaigns; prints progress and the report (--dry-run: the
                                translation and the report only, nothing created)
                  pinpoint-import --bench [endpoints]  generate that many endpoints (default 100,000) in gzip'd export
                                files and time their import on an in-memory runtime
                  help          this text""");
    }
}
