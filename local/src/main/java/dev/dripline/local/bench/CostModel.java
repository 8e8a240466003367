// Over 400 lines: the measured paths, the dated price table with its sources and the report, in one command that the README's cost table is read from.
package dev.dripline.local.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Dripline;
import dev.dripline.contacts.ContactInput;
import dev.dripline.json.Json;
import dev.dripline.local.LocalRuntime;
import dev.dripline.local.SimulatedCarrier;
import dev.dripline.engines.ClientCalls;
import dev.dripline.webhooks.SimulatorSignature;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * {@code cost-model [n]}: the AWS charges of Dripline's main paths, measured on the local
 * runtime. Each path runs {@code n} times (default 200) over HTTP, as on AWS; every call the
 * engines receive is counted by kind (DynamoDB read and write units as DynamoDB Local reports
 * them with ReturnConsumedCapacity TOTAL, SQS requests, Scheduler calls), with the API Gateway
 * requests (every HTTP request: the API, the provider's webhooks), the Lambda invocations and
 * their measured durations at the template's memory sizes, and the log bytes written at INFO.
 * Then dollars per million, by path and component, from {@link Prices}.
 *
 * <p>Lambda durations are measured on this machine (handler time for the queue functions, the
 * request's round trip for the HTTP ones; the carrier's receipts, which this process does not
 * time, are charged the inbound webhook's mean): on a shared 2-core machine they are an upper
 * bound of what a warm Lambda bills.
 */
public final class CostModel {

    private CostModel() {
    }

    /**
     * us-east-1 list prices in US dollars, as of {@link #DATE} (on-demand, no free tier, first tiers).
     */
    public static final class Prices {
        public static final String DATE = "2026-12-03";
        /** https://aws.amazon.com/dynamodb/pricing/on-demand/ (on-demand since the November 2024 cut). */
        public static final double DYNAMODB_WRITE_UNIT = 0.625 / 1e6;
        /** https://aws.amazon.com/dynamodb/pricing/on-demand/ */
        public static final double DYNAMODB_READ_UNIT = 0.125 / 1e6;
        /** https://aws.amazon.com/sqs/pricing/ (standard queue, per 64 KB request). */
        public static final double SQS_REQUEST = 0.40 / 1e6;
        /** https://aws.amazon.com/eventbridge/pricing/ (Scheduler invocations; create/delete are API calls, counted here alike). */
        public static final double SCHEDULER_CALL = 1.00 / 1e6;
        /** https://aws.amazon.com/api-gateway/pricing/ (HTTP API, first 300 M requests). */
        public static final double API_GATEWAY_REQUEST = 1.00 / 1e6;
        /** https://aws.amazon.com/lambda/pricing/ (requests). */
        public static final double LAMBDA_REQUEST = 0.20 / 1e6;
        /** https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5 billion GB-s a month). */
        public static final double LAMBDA_GB_SECOND_ARM = 0.0000133334;
        /** https://aws.amazon.com/cloudwatch/pricing/ (logs: standard ingestion). */
        public static final double LOG_GB_INGESTED = 0.50;

        private Prices() {
        }
    }

    /** The template's memory sizes (template.yaml): Globals 1024 MB, api and webhooks 1536 MB. */
    static final Map<String, Integer> MEMORY_MB = Map.of("api", 1536, "webhooks", 1536, "sender", 1024, "steps", 1024);

    /** Bytes a Lambda JSON log line adds around its message (timestamp, level, logger, request id). */
    static final int LOG_LINE_OVERHEAD = 150;

    /** What a path used, per unit of work (a message, a recipient, a request). */
    record Usage(double readUnits, double writeUnits, double dynamoCalls, double sqs, double scheduler, double apiGateway,
                 Map<String, Double> invocations, Map<String, Double> gbSeconds, double logBytes) {

        Map<String, Double> dollarsPerMillion() {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("DynamoDB", 1e6 * (readUnits * Prices.DYNAMODB_READ_UNIT + writeUnits * Prices.DYNAMODB_WRITE_UNIT));
            out.put("SQS", 1e6 * sqs * Prices.SQS_REQUEST);
            out.put("Scheduler", 1e6 * scheduler * Prices.SCHEDULER_CALL);
            out.put("API Gateway", 1e6 * apiGateway * Prices.API_GATEWAY_REQUEST);
            double requests = invocations.values().stream().mapToDouble(Double::doubleValue).sum();
            double gbs = gbSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
            out.put("Lambda", 1e6 * (requests * Prices.LAMBDA_REQUEST + gbs * Prices.LAMBDA_GB_SECOND_ARM));
            out.put("Logs", 1e6 * logBytes / 1e9 * Prices.LOG_GB_INGESTED);
            return out;
        }
    }

    public static void run(String[] args, PrintStream out) throws Exception {
        boolean trace = java.util.Arrays.asList(args).contains("--trace");
        List<String> plain = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        int n = plain.size() > 1 ? Integer.parseInt(plain.get(1)) : 200;
        if (n < 10 || n > 20_000) {
            throw new IllegalArgumentException("n must be 10 to 20000 (each path runs n times)");
        }
        Map<String, String> env = BenchRuntime.env("unlimited");
        // The key's rate limit stays on (its calls are part of the cost), only high enough for the runs.
        env.put("DRIPLINE_API_RATE", "100000");
        env.put("DRIPLINE_API_BURST", "100000");
        env.put("DRIPLINE_SIMULATOR_SECRET", "cost-" + Long.toHexString(System.nanoTime()) + "-secret");
        ClientCalls calls = new ClientCalls();
        try (LocalRuntime runtime = LocalRuntime.start(env, Optional.of(calls))) {
            Model model = new Model(runtime, calls, env.get("DRIPLINE_SIMULATOR_SECRET"), out);
            out.printf("cost-model: %d runs per path; machine: %d cores, load average %.2f; prices: us-east-1 list, %s%n",
                    n, Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Prices.DATE);
            Map<String, Usage> paths = new LinkedHashMap<>();
            model.warmUp();
            calls.trace(trace);
            paths.put("inbound reply (webhook)", model.inbound(n));
            paths.put("one-off message + 2 receipts", model.oneOff(n));
            paths.put("broadcast recipient + 2 receipts", model.broadcast(n));
            paths.put("API read (GET /v1/messages/{id})", model.apiRead(n));
            print(paths, out);
            out.printf("load average at the end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        System.exit(0);
    }

    static void print(Map<String, Usage> paths, PrintStream out) {
        out.println();
        out.println("| path | DynamoDB calls | RRU | WRU | SQS | Scheduler | API GW | Lambda invocations | Lambda GB-s | log bytes |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        paths.forEach((name, u) -> out.printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %.5f | %.0f |%n", name, u.dynamoCalls(),
                u.readUnits(), u.writeUnits(), u.sqs(), u.scheduler(), u.apiGateway(), compact(u.invocations()),
                u.gbSeconds().values().stream().mapToDouble(Double::doubleValue).sum(), u.logBytes()));
        out.println();
        out.println("dollars per million (us-east-1 list prices " + Prices.DATE + "; carrier fees excluded):");
        out.println("| path | DynamoDB | SQS | Scheduler | API Gateway | Lambda | Logs | total |");
        out.println("|---|---|---|---|---|---|---|---|");
        paths.forEach((name, u) -> {
            Map<String, Double> d = u.dollarsPerMillion();
            double total = d.values().stream().mapToDouble(Double::doubleValue).sum();
            out.printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | **%.2f** |%n", name, d.get("DynamoDB"), d.get("SQS"),
                    d.get("Scheduler"), d.get("API Gateway"), d.get("Lambda"), d.get("Logs"), total);
        });
    }

    private static String compact(Map<String, Double> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> {
            if (v > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(String.format("%s %.3f", k, v));
            }
        });
        return b.length() == 0 ? "0" : b.toString();
    }

    /** Runs the paths against one runtime and measures each. */
    static final class Model {
        private final LocalRuntime runtime;
        private final Dripline core;
        private final ClientCalls calls;
        private final String secret;
        private final PrintStream out;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        private final Set<String> delivered = ConcurrentHashMap.newKeySet();
        private final AtomicLong receipts = new AtomicLong();
        private final LogBytes logs = new LogBytes();
        private final AtomicLong phones = new AtomicLong();
        private int run;

        Model(LocalRuntime runtime, ClientCalls calls, String secret, PrintStream out) {
            this.runtime = runtime;
            this.core = runtime.dripline();
            this.calls = calls;
            this.secret = secret;
            this.out = out;
            runtime.carrier().listener(new SimulatedCarrier.Listener() {
                @Override
                public void receipt(String messageId, String status) {
                    receipts.incrementAndGet();
                    if (status.equals("delivered") || status.equals("undelivered")) {
                        delivered.add(messageId);
                    }
                }
            });
        }

        void warmUp() throws Exception {
            inbound(50);
            oneOff(50);
            broadcast(50);
            apiRead(50);
        }

        /** What one measured stretch used, divided by {@code units}. */
        private final class Measure {
            final long sched = runtime.scheduler().calls();
            final long senderInv = runtime.senderPoller().invocations();
            final long senderNanos = runtime.senderPoller().handlerNanos();
            final long stepsInv = runtime.stepsPoller().invocations();
            final long stepsNanos = runtime.stepsPoller().handlerNanos();
            final long receiptsBefore = receipts.get();
            long apiRequests;
            long apiNanos;
            long webhookRequests;
            long webhookNanos;

            Measure() {
                calls.reset();
                logs.reset();
            }

            Usage end(int units, double webhookMeanNanos) {
                Map<String, Long> c = calls.snapshot();
                Map<String, Long> shapes = calls.traced();
                if (!shapes.isEmpty()) {
                    out.printf("%n  DynamoDB calls and capacity units per unit of work, by shape (%d units):%n", units);
                    Map<String, Double> shapeUnits = calls.tracedUnits();
                    shapes.forEach((shape, count) -> out.printf("  %6.2f calls %6.2f units  %s%n", count / (double) units,
                            shapeUnits.getOrDefault(shape, 0.0) / units, shape));
                    c.forEach((op, count) -> {
                        if (!op.startsWith("DynamoDB.")) {
                            out.printf("  %6.2f  %s%n", count / (double) units, op);
                        }
                    });
                }
                Map<String, Double> cap = calls.capacityUnits();
                long dynamo = c.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDB.")).mapToLong(Map.Entry::getValue).sum();
                long sqs = c.entrySet().stream().filter(e -> e.getKey().toUpperCase(java.util.Locale.ROOT).startsWith("SQS."))
                        .mapToLong(Map.Entry::getValue).sum();
                long carrierReceipts = receipts.get() - receiptsBefore;
                double receiptNanos = carrierReceipts * webhookMeanNanos;
                Map<String, Double> inv = new LinkedHashMap<>();
                inv.put("api", apiRequests / (double) units);
                inv.put("webhooks", (webhookRequests + carrierReceipts) / (double) units);
                inv.put("sender", (runtime.senderPoller().invocations() - senderInv) / (double) units);
                inv.put("steps", (runtime.stepsPoller().invocations() - stepsInv) / (double) units);
                Map<String, Double> gbs = new LinkedHashMap<>();
                gbs.put("api", apiNanos / 1e9 * MEMORY_MB.get("api") / 1024 / units);
                gbs.put("webhooks", (webhookNanos + receiptNanos) / 1e9 * MEMORY_MB.get("webhooks") / 1024 / units);
                gbs.put("sender", (runtime.senderPoller().handlerNanos() - senderNanos) / 1e9 * MEMORY_MB.get("sender") / 1024 / units);
                gbs.put("steps", (runtime.stepsPoller().handlerNanos() - stepsNanos) / 1e9 * MEMORY_MB.get("steps") / 1024 / units);
                return new Usage(cap.get("read") / units, cap.get("write") / units, dynamo / (double) units, sqs / (double) units,
                        (runtime.scheduler().calls() - sched) / (double) units, (apiRequests + webhookRequests + carrierReceipts) / (double) units,
                        inv, gbs, logs.bytes() / (double) units);
            }
        }

        private double webhookMeanNanos = 20_000_000;

        Usage inbound(int n) throws Exception {
            List<String> numbers = WebhookLoad.numbers(n);
            String prefix = "cost" + (run++) + "-" + System.nanoTime();
            Measure m = new Measure();
            URI url = URI.create(runtime.url() + "/webhooks/simulator/inbound");
            URI target = URI.create("http://127.0.0.1:" + runtime.url().getPort() + "/webhooks/simulator/inbound");
            for (int i = 0; i < n; i++) {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("id", prefix + "-" + i);
                payload.put("from", numbers.get(i));
                payload.put("to", "+18335550100");
                payload.put("body", "Sounds good, see you then");
                payload.put("at", Instant.now().toString());
                String body = Json.write(payload);
                HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                        .header(SimulatorSignature.HEADER, SimulatorSignature.sign(secret, Instant.now(), url.toString(), body))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                long t = System.nanoTime();
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                m.webhookNanos += System.nanoTime() - t;
                m.webhookRequests++;
                if (r.statusCode() / 100 != 2) {
                    require(r, 200, "inbound webhook");
                }
            }
            settle();
            webhookMeanNanos = m.webhookNanos / (double) n;
            return m.end(n, webhookMeanNanos);
        }

        Usage oneOff(int n) throws Exception {
            List<String> to = contacts(n, null);
            Measure m = new Measure();
            // Submitted from 4 threads, as a busy account submits: the sender's batches fill as on AWS
            // under volume (BatchSize 10, MaximumBatchingWindowInSeconds 1), so what is written once
            // per batch is charged per message as it is there.
            List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
            LongAdder nanos = new LongAdder();
            Parallel.run(4, to.size(), i -> {
                long t = System.nanoTime();
                HttpResponse<String> r = api("POST", "/v1/messages", Json.write(Map.of("to", to.get(i), "body",
                        "Your order has shipped. Track it in the app.", "category", "transactional")));
                nanos.add(System.nanoTime() - t);
                require(r, 202, "POST /v1/messages");
                ids.add(Json.read(r.body(), JsonNode.class).get("id").asText());
            });
            m.apiNanos += nanos.sum();
            m.apiRequests += to.size();
            await(ids);
            settle();
            return m.end(n, webhookMeanNanos);
        }

        Usage broadcast(int n) throws Exception {
            String tag = "cost" + (run++);
            contacts(n, tag);
            int before = delivered.size();
            Measure m = new Measure();
            long t = System.nanoTime();
            HttpResponse<String> r = api("POST", "/v1/broadcasts", Json.write(Map.of("name", "cost model " + tag, "audience",
                    Map.of("tags", List.of(tag)), "body", "Our store opens at 9 tomorrow.", "category", "transactional")));
            m.apiNanos += System.nanoTime() - t;
            m.apiRequests++;
            require(r, 201, "POST /v1/broadcasts");
            long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(120, n / 5)).toNanos();
            while (delivered.size() - before < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("broadcast not delivered in time: " + (delivered.size() - before) + " of " + n);
                }
                Thread.sleep(50);
            }
            settle();
            return m.end(n, webhookMeanNanos);
        }

        Usage apiRead(int n) throws Exception {
            List<String> to = contacts(1, null);
            HttpResponse<String> sent = api("POST", "/v1/messages", Json.write(Map.of("to", to.get(0), "body", "Read me", "category",
                    "transactional")));
            String id = Json.read(sent.body(), JsonNode.class).get("id").asText();
            await(List.of(id));
            settle();
            Measure m = new Measure();
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = api("GET", "/v1/messages/" + id, null);
                m.apiNanos += System.nanoTime() - t;
                m.apiRequests++;
                require(r, 200, "GET /v1/messages/{id}");
            }
            return m.end(n, webhookMeanNanos);
        }

        /** {@code count} new opted-in contacts (not measured), tagged if a tag is given. */
        private List<String> contacts(int count, String tag) throws Exception {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(Throughput.phone((int) phones.getAndIncrement()));
            }
            Parallel.run(4, count, i -> core.contacts().upsert(new ContactInput(out.get(i), null, null, null, null, null, null,
                    tag == null ? null : List.of(tag), new ContactInput.ConsentInput("opted_in", "import", null, "cost model", null, null)),
                    "bench"));
            return out;
        }

        private void await(List<String> ids) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(120, ids.size() / 5)).toNanos();
            while (!delivered.containsAll(ids)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("messages not delivered in time");
                }
                Thread.sleep(20);
            }
        }

        /** Waits for the queues' consumers to go idle (their last calls counted), then a little. */
        private void settle() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Thread.sleep(500);
            while (!(runtime.stepsPoller().settled() && runtime.senderPoller().settled()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(500);
        }

        private HttpResponse<String> api(String method, String path, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.url().getPort() + path))
                    .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + runtime.apiKey());
            if (body != null) {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        private static void require(HttpResponse<String> r, int status, String what) {
            if (r.statusCode() != status) {
                throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
            }
        }
    }

    /** Counts the bytes Dripline's INFO log lines would write on Lambda (nothing is printed meanwhile). */
    static final class LogBytes extends AppenderBase<ILoggingEvent> {
        private final LongAdder bytes = new LongAdder();
        private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();

        LogBytes() {
            ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            setContext(root.getLoggerContext());
            setName("cost-model-log-bytes");
            start();
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
                detached.add(it.next());
            }
            detached.forEach(root::detachAppender);
            root.addAppender(this);
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.dripline")).setLevel(Level.INFO);
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
                bytes.add(event.getFormattedMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + LOG_LINE_OVERHEAD);
            }
        }

        void reset() {
            bytes.reset();
        }

        long bytes() {
            return bytes.sum();
        }
    }
}
