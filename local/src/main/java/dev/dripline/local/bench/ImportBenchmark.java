package dev.dripline.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import dev.dripline.local.LocalRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar local/target/dripline-local.jar import-bench [rows]} (default 100,000): starts
 * the local runtime in memory, POSTs a generated CSV (phone, names, e-mail, two tags, three typed
 * attributes, consent with its source and proof) to /v1/imports and prints the import's progress
 * every second while it runs, then rows/s, DynamoDB calls and transaction items per row, CPU per
 * row and how busy DynamoDB Local's writer thread was (figures a shared machine's load skews less
 * than rows/s). The API and the imports
 * consumer run as they do for a user: over HTTP, through the imports queue.
 */
public final class ImportBenchmark {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private ImportBenchmark() {
    }

    /** CPU nanoseconds of DynamoDB Local's writer thread(s) (it runs every SQLite job on one thread). */
    private static long writerThreadCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("SQLiteQueue")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    public static void run(String[] args) throws Exception {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("DRIPLINE_PORT", "0");
        env.put("DRIPLINE_COUNT_DYNAMODB_CALLS", "true");
        env.putIfAbsent("DRIPLINE_IMPORT_MAX_BYTES", Integer.toString(200 * 1024 * 1024));
        try (LocalRuntime runtime = LocalRuntime.start(env)) {
            StringBuilder csv = new StringBuilder(rows * 140);
            csv.append("phone,firstName,lastName,email,tags,attr.tier,attr.orders,attr.signupDate,consent.status,consent.source,consent.proof\n");
            for (int i = 0; i < rows; i++) {
                // 10 area codes x 10,000 lines of the fictional 555-xxxx range.
                String[] areas = {"212", "305", "312", "415", "503", "617", "646", "702", "713", "808"};
                csv.append("+1").append(areas[(i / 10_000) % areas.length]).append("555").append(String.format("%04d", i % 10_000))
                        .append(",First").append(i).append(",Last").append(i).append(",p").append(i).append("@example.com,")
                        .append(i % 3 == 0 ? "vip;" : "").append("newsletter,").append(i % 2 == 0 ? "gold" : "silver").append(',')
                        .append(i % 50).append(',').append("2026-0").append(1 + i % 9).append("-15")
                        .append(",opted_in,import,Yes - text me offers. Reply STOP to opt out.\n");
            }
            HttpClient http = HttpClient.newHttpClient();
            double loadBefore = OS.getSystemLoadAverage();
            long cpu0 = OS.getProcessCpuTime();
            long writer0 = writerThreadCpu();
            long t0 = System.nanoTime();
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(runtime.url() + "/v1/imports"))
                    .header("Authorization", "Bearer " + runtime.apiKey()).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build(), HttpResponse.BodyHandlers.ofString());
            long acceptedMs = (System.nanoTime() - t0) / 1_000_000;
            JsonNode answer = Json.mapper().readTree(accepted.body());
            System.out.printf("POST /v1/imports: %d in %d ms, %s (%.1f MB)%n", accepted.statusCode(), acceptedMs, answer,
                    csv.length() / 1e6);
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("the import was not accepted");
            }
            String id = answer.path("id").asText();
            Map<String, Long> callsBefore = CountingDynamoDb.snapshot();
            long itemsBefore = CountingDynamoDb.transactionItems();
            JsonNode status;
            do {
                Thread.sleep(1000);
                status = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(runtime.url() + "/v1/imports/" + id))
                        .header("Authorization", "Bearer " + runtime.apiKey()).build(), HttpResponse.BodyHandlers.ofString()).body());
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%6.1f s  %-9s processed %7d / %d  created %7d  updated %6d  rejected %d  (%.0f rows/s)%n", seconds,
                        status.path("status").asText(), status.path("processed").asInt(), rows, status.path("created").asInt(),
                        status.path("updated").asInt(), status.path("rejected").asInt(), status.path("processed").asInt() / seconds);
            } while (!"completed".equals(status.path("status").asText()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (OS.getProcessCpuTime() - cpu0) / 1e9;
            double writerSeconds = (writerThreadCpu() - writer0) / 1e9;
            long items = CountingDynamoDb.transactionItems() - itemsBefore;
            Map<String, Long> calls = CountingDynamoDb.snapshot();
            long total = 0;
            StringBuilder byOp = new StringBuilder();
            for (Map.Entry<String, Long> e : calls.entrySet()) {
                long n = e.getValue() - callsBefore.getOrDefault(e.getKey(), 0L);
                total += n;
                byOp.append(String.format("  %-20s %8d  (%.4f per row)%n", e.getKey(), n, n / (double) rows));
            }
            System.out.printf("%nimported %d rows in %.1f s: %.0f rows/s (POST answered in %d ms)%n"
                    + "DynamoDB calls after the POST: %d, %.3f per row%n%s", rows, seconds, rows / seconds, acceptedMs, total,
                    total / (double) rows, byOp);
            // Figures that survive a shared machine: CPU per row, and how busy DynamoDB Local's one writer thread was.
            System.out.printf("items written in transactions: %d, %.2f per row%n"
                            + "CPU: %.1f s of the JVM (%.2f ms per row, %.2f cores on average; %d cores here)%n"
                            + "DynamoDB Local's writer thread (SQLiteQueue): %.1f s CPU, busy %.0f%% of the run%n"
                            + "load average: %.2f before, %.2f after%n",
                    items, items / (double) rows, cpuSeconds, cpuSeconds * 1000 / rows, cpuSeconds / seconds,
                    Runtime.getRuntime().availableProcessors(), writerSeconds, 100 * writerSeconds / seconds, loadBefore,
                    OS.getSystemLoadAverage());
        }
    }
}
