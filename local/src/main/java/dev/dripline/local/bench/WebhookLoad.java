package dev.dripline.local.bench;

import dev.dripline.contacts.PhoneNumber;
import dev.dripline.json.Json;
import dev.dripline.local.LocalRuntime;
import dev.dripline.engines.ClientCalls;
import dev.dripline.webhooks.SimulatorSignature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * {@code webhook-load [seconds] [rate] [--warmup=S] [--in-flight=N] [--phones=N] [--profile]}:
 * the local runtime in this JVM on a free loopback port, and signed simulator inbound webhooks
 * sent to it open-loop (request i is due at start + i/rate, whatever the answers before it;
 * its latency counts from when it was due, so a stalled server is not hidden by a waiting
 * client), at most N in flight. Every message has its own id and comes from one of a few
 * thousand numbers. Afterwards the messages table is counted: each message stored exactly once.
 * With --profile a JFR recording of the timed part is summarised (hottest frames, busiest threads).
 */
public final class WebhookLoad {

    private WebhookLoad() {
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    public static void run(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (String a : Arrays.copyOfRange(args, Math.min(1, args.length), args.length)) {
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                options.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
            } else {
                positional.add(a);
            }
        }
        int seconds = bounded(positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 30, 1, 600, "seconds");
        int rate = bounded(positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 600, 1, 5000, "rate");
        int warmup = bounded(Integer.parseInt(options.getOrDefault("warmup", "20")), 0, 300, "warmup");
        int inFlight = bounded(Integer.parseInt(options.getOrDefault("in-flight", "64")), 1, 512, "in-flight");
        int phones = bounded(Integer.parseInt(options.getOrDefault("phones", "3000")), 1, 100_000, "phones");
        boolean profile = options.containsKey("profile");

        if (System.getenv("DRIPLINE_LOG_LEVEL") == null) {
            // One INFO line per inbound message would make the console the bottleneck.
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.dripline")).setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DRIPLINE_PORT", "0");
        env.put("DRIPLINE_BIND", "127.0.0.1");
        env.remove("DRIPLINE_PUBLIC_URL");
        env.remove("DRIPLINE_DATA_DIR");
        env.put("DRIPLINE_SIMULATOR_SECRET", "load-" + Long.toHexString(System.nanoTime()) + "-secret");
        String secret = env.get("DRIPLINE_SIMULATOR_SECRET");

        ClientCalls calls = new ClientCalls();
        try (LocalRuntime runtime = LocalRuntime.start(env, java.util.Optional.of(calls))) {
            URI url = URI.create(runtime.url() + "/webhooks/simulator/inbound");
            URI target = URI.create("http://127.0.0.1:" + runtime.url().getPort() + "/webhooks/simulator/inbound");
            List<String> numbers = numbers(phones);
            String run = "load" + Long.toString(System.currentTimeMillis(), 36);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(4, daemon("load-client"))).connectTimeout(Duration.ofSeconds(2)).build();
            Sender sender = new Sender(http, url, target, secret, numbers, run, inFlight);

            System.out.printf("webhook-load: runtime up at %s; %d s warm-up then %d s at %d req/s, <= %d in flight, %d numbers%n",
                    runtime.url(), warmup, seconds, rate, inFlight, phones);
            System.out.printf("machine: %d cores, load average %.2f (shared machine: other builds may be running)%n",
                    Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            if (warmup > 0) {
                Result w = sender.phase(warmup, rate);
                System.out.println("warm-up  " + w);
            }
            Recording recording = null;
            if (profile) {
                recording = new Recording();
                recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
                recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(1));
                recording.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(5));
                recording.start();
            }
            calls.reset();
            long cpuBefore = processCpuNanos();
            long wallBefore = System.nanoTime();
            Result r = sender.phase(seconds, rate);
            double cpuCores = (processCpuNanos() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
            System.out.println("measured " + r);
            System.out.printf("process CPU during the measured phase: %.2f cores of %d%n", cpuCores, Runtime.getRuntime().availableProcessors());
            printCalls(calls.snapshot(), r.requests());

            long expected = sender.sent.get();
            long stored = countStored(runtime, "in_simulator_" + run + "-");
            boolean lossless = stored == expected && sender.errors.get() == 0;
            System.out.printf("stored: %d messages in the messages table for %d sent (%s)%n", stored, expected,
                    lossless ? "each exactly once" : "MISMATCH");
            if (recording != null) {
                Path file = Files.createTempFile("webhook-load", ".jfr");
                recording.stop();
                recording.dump(file);
                recording.close();
                summarise(file);
                System.out.println("JFR recording: " + file);
            }
            boolean targetMet = r.p99Millis() < 50 && r.errors() == 0 && lossless && r.achievedRate() >= rate * 0.95;
            System.out.println(targetMet ? "RESULT: target met (p99 < 50 ms, no errors, nothing lost)"
                    : "RESULT: target NOT met (p99 < 50 ms, no errors, nothing lost, >= 95% of the rate)");
            if (!lossless) {
                System.exit(1);
            }
        }
        System.exit(0);
    }

    /** Sends one phase of requests, open-loop, and measures them. */
    private static final class Sender {
        private final HttpClient http;
        private final URI signedUrl;
        private final URI target;
        private final String secret;
        private final List<String> numbers;
        private final String run;
        private final Semaphore permits;
        private final int inFlight;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        Sender(HttpClient http, URI signedUrl, URI target, String secret, List<String> numbers, String run, int inFlight) {
            this.http = http;
            this.signedUrl = signedUrl;
            this.target = target;
            this.secret = secret;
            this.numbers = numbers;
            this.run = run;
            this.inFlight = inFlight;
            this.permits = new Semaphore(inFlight);
        }

        Result phase(int seconds, int rate) throws InterruptedException {
            int total = seconds * rate;
            long[] latencies = new long[total];
            AtomicInteger phaseErrors = new AtomicInteger();
            Map<String, AtomicInteger> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
            long start = System.nanoTime() + 50_000_000L;
            long interval = 1_000_000_000L / rate;
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                permits.acquire();
                long n = sent.getAndIncrement();
                String from = numbers.get((int) (n % numbers.size()));
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("id", run + "-" + n);
                payload.put("from", from);
                payload.put("to", "+18335550100");
                payload.put("body", "Load test message " + n + ", thanks!");
                payload.put("at", Instant.now().toString());
                String body = Json.write(payload);
                HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header(SimulatorSignature.HEADER, SimulatorSignature.sign(secret, Instant.now(), signedUrl.toString(), body))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                final int index = i;
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                    latencies[index] = System.nanoTime() - due;
                    if (failure != null || response.statusCode() / 100 != 2) {
                        phaseErrors.incrementAndGet();
                        errors.incrementAndGet();
                        errorKinds.computeIfAbsent(failure != null ? failure.getClass().getSimpleName()
                                : "HTTP " + response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    }
                    permits.release();
                });
            }
            long sendEnd = System.nanoTime();
            permits.acquire(inFlight);
            permits.release(inFlight);
            double achieved = total / ((sendEnd - start) / 1e9);
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return new Result(total, achieved, phaseErrors.get(), errorKinds.toString(), millis(sorted, 0.50), millis(sorted, 0.90),
                    millis(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        }
    }

    /** The engines' calls during the measured phase, per request (the pollers' empty receives included). */
    static void printCalls(Map<String, Long> counted, int requests) {
        long dynamo = counted.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDB.")).mapToLong(Map.Entry::getValue).sum();
        long sqs = counted.entrySet().stream().filter(e -> e.getKey().toUpperCase(java.util.Locale.ROOT).startsWith("SQS."))
                .mapToLong(Map.Entry::getValue).sum();
        System.out.printf("calls per request: DynamoDB %.2f, SQS %.2f (the pollers' empty receives included)%n",
                dynamo / (double) requests, sqs / (double) requests);
        counted.forEach((op, n) -> {
            if (n > 0) {
                System.out.printf("  %-36s %8d  %.2f/request%n", op, n, n / (double) requests);
            }
        });
    }

    record Result(int requests, double achievedRate, int errors, String errorKinds, double p50Millis, double p90Millis,
                  double p99Millis, double maxMillis) {
        @Override
        public String toString() {
            return String.format("%d requests at %.0f req/s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; errors %d %s",
                    requests, achievedRate, p50Millis, p90Millis, p99Millis, maxMillis, errors, errors == 0 ? "" : errorKinds);
        }
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** Distinct valid US numbers (libphonenumber checks each, as the webhook will). */
    static List<String> numbers(int count) {
        List<String> out = new ArrayList<>(count);
        String[] areas = {"212", "415", "646", "303", "617", "512"};
        for (int k = 0; out.size() < count; k++) {
            String area = areas[k % areas.length];
            String candidate = "+1" + area + (2_000_000 + k * 37 % 7_000_000);
            try {
                out.add(PhoneNumber.parse(candidate, null, "from").e164());
            } catch (RuntimeException invalid) {
                // skip numbers libphonenumber does not accept
            }
            if (k > count * 10) {
                throw new IllegalStateException("could not make " + count + " valid numbers");
            }
        }
        return out.stream().distinct().collect(Collectors.toList());
    }

    private static long countStored(LocalRuntime runtime, String prefix) {
        String table = runtime.dripline().settings().tables().messages();
        long count = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(table).select(Select.COUNT)
                    .filterExpression("begins_with(id, :p)").expressionAttributeValues(Map.of(":p", AttributeValue.fromS(prefix)));
            if (startKey != null) {
                scan.exclusiveStartKey(startKey);
            }
            ScanResponse page = runtime.engines().dynamoDb().scan(scan.build());
            count += page.count();
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return count;
    }

    /** The hottest frames (top of stack and anywhere in it, by package) and the busiest threads. */
    private static void summarise(Path file) throws IOException {
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> inStack = new HashMap<>();
        Map<String, Long> blockedMillis = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.ExecutionSample") && e.getStackTrace() != null && !e.getStackTrace().getFrames().isEmpty()) {
                samples++;
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                RecordedFrame f = frames.get(0);
                top.merge(f.getMethod().getType().getName() + "." + f.getMethod().getName(), 1, Integer::sum);
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (RecordedFrame frame : frames) {
                    String area = area(frame.getMethod().getType().getName());
                    if (seen.add(area)) {
                        inStack.merge(area, 1, Integer::sum);
                    }
                }
            } else if (type.equals("jdk.JavaMonitorEnter") || type.equals("jdk.ThreadPark")) {
                String where = e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty() ? "?"
                        : firstApplicationFrame(e.getStackTrace().getFrames());
                blockedMillis.merge(type.substring(4) + " " + where, e.getDuration().toMillis(), Long::sum);
            }
        }
        System.out.println("JFR: " + samples + " execution samples (10 ms period)");
        print("  hottest top frames", top, samples, 12);
        print("  share of samples with the area on the stack", inStack, samples, 12);
        print("  samples by thread", threads, samples, 8);
        System.out.println("  longest waiting (ms, summed; parks >= 5 ms, monitor waits >= 1 ms)");
        blockedMillis.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(en -> System.out.printf("    %8d  %s%n", en.getValue(), en.getKey()));
    }

    private static String firstApplicationFrame(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return type + "." + f.getMethod().getName();
            }
        }
        RecordedFrame f = frames.get(0);
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String area(String className) {
        String[][] areas = {
                {"com.almworks.sqlite4java", "SQLite (DynamoDB Local)"}, {"com.amazonaws.services.dynamodbv2", "DynamoDB Local"},
                {"org.antlr", "DynamoDB Local (expression parsing)"}, {"software.amazon.awssdk", "AWS SDK client"},
                {"io.netty", "Netty (HTTP server)"}, {"io.micronaut", "Micronaut"}, {"dev.dripline", "Dripline"},
                {"com.fasterxml.jackson", "Jackson"}, {"com.google.i18n.phonenumbers", "libphonenumber"},
                {"org.elasticmq", "ElasticMQ"}, {"org.apache.pekko", "Pekko (ElasticMQ)"}, {"jdk.internal.net.http", "JDK HttpClient (load client)"},
                {"ch.qos.logback", "Logback"}};
        for (String[] a : areas) {
            if (className.startsWith(a[0])) {
                return a[1];
            }
        }
        return "other";
    }

    private static void print(String title, Map<String, Integer> counts, int total, int limit) {
        System.out.println(title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(en -> System.out.printf("    %5.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getKey()));
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static int bounded(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

}
