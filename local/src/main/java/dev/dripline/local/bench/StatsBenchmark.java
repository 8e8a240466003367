package dev.dripline.local.bench;

import dev.dripline.analytics.Counters;
import dev.dripline.local.LocalRuntime;
import dev.dripline.messaging.Origin;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code stats-bench [messages] [requests]}: the counters of one campaign as {@code messages}
 * messages would leave them (3 steps, 2 variants, 30 days; delivered, failed, clicks, replies,
 * opt-outs, conversions in realistic shares), written through the Tally API in batches of 1,000
 * messages per step and variant (the fast path: one ADD of 1,000 instead of 1,000 ADDs of one,
 * same items, same shards), then {@code GET /v1/campaigns/{id}/stats} timed over HTTP on the
 * in-process runtime: p50, p99 and max of {@code requests} sequential calls after a warm-up.
 */
public final class StatsBenchmark {

    private StatsBenchmark() {
    }

    public static void run(String[] args, PrintStream out) throws Exception {
        long messages = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DRIPLINE_PORT", "0");
        env.putIfAbsent("DRIPLINE_LOG_LEVEL", "WARN");
        try (LocalRuntime runtime = LocalRuntime.start(env)) {
            Counters counters = runtime.dripline().counters();
            String campaign = "cmp_bench";
            long t0 = System.nanoTime();
            long batches = 0;
            String[] steps = {"welcome", "remind", "last-call"};
            String[] variants = {"A", "B"};
            Instant start = runtime.dripline().clock().instant().minus(Duration.ofDays(29));
            for (long done = 0; done < messages; ) {
                for (String step : steps) {
                    for (String variant : variants) {
                        long n = Math.min(1000, messages - done);
                        if (n <= 0) {
                            break;
                        }
                        Origin origin = Origin.step(campaign, 1, step, variant, null);
                        Instant day = start.plus(Duration.ofDays(batches % 30));
                        boolean b = variant.equals("B");
                        Map<String, BigDecimal> adds = new LinkedHashMap<>();
                        adds.put("sent", BigDecimal.valueOf(n));
                        adds.put("segments", BigDecimal.valueOf(n * 13 / 10));
                        adds.put("cost", new BigDecimal("0.0079").multiply(BigDecimal.valueOf(n * 13 / 10)));
                        adds.put("delivered", BigDecimal.valueOf(n * 96 / 100));
                        adds.put("undelivered", BigDecimal.valueOf(n * 3 / 100));
                        adds.put("failed", BigDecimal.valueOf(n / 100));
                        adds.put("clicked", BigDecimal.valueOf(n * (b ? 14 : 12) / 100));
                        adds.put("uniqueClicks", BigDecimal.valueOf(n * (b ? 11 : 10) / 100));
                        adds.put("replied", BigDecimal.valueOf(n * 4 / 100));
                        adds.put("optedOut", BigDecimal.valueOf(n / 200));
                        counters.count(origin, adds, day);
                        if (step.equals("welcome")) {
                            counters.add(origin, "enrolled", n * 3);
                            counters.add(origin, "converted", n * 3 * (b ? 9 : 8) / 100);
                        }
                        done += n;
                        batches++;
                    }
                }
            }
            out.printf("loaded the counters of %,d messages in %,d batches in %.1f s%n", messages, batches, (System.nanoTime() - t0) / 1e9);

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.url() + "/v1/campaigns/" + campaign + "/stats"))
                    .header("Authorization", "Bearer " + runtime.apiKey()).build();
            String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            out.println("answer: " + (body.length() > 400 ? body.substring(0, 400) + "..." : body));
            for (int i = 0; i < Math.max(100, requests / 2); i++) {
                http.send(request, HttpResponse.BodyHandlers.discarding());
            }
            long[] micros = new long[requests];
            for (int i = 0; i < requests; i++) {
                long s = System.nanoTime();
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                micros[i] = (System.nanoTime() - s) / 1000;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("stats answered " + r.statusCode() + ": " + r.body());
                }
            }
            Arrays.sort(micros);
            out.printf("GET /v1/campaigns/%s/stats, %d requests after a warm-up: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", campaign,
                    requests, micros[requests / 2] / 1000.0, micros[(int) Math.ceil(requests * 0.99) - 1] / 1000.0,
                    micros[requests - 1] / 1000.0);
        }
    }
}
