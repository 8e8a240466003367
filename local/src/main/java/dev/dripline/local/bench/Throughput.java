package dev.dripline.local.bench;

import dev.dripline.Dripline;
import dev.dripline.contacts.ContactInput;
import dev.dripline.local.LocalRuntime;
import dev.dripline.local.SimulatedCarrier;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.engines.ClientCalls;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end sending benchmark:
 * {@code java -jar local/target/dripline-local.jar throughput [messages] [--limit segmentsPerSecond] [--warmup n]}.
 *
 * <p>Starts the local runtime in this JVM (free loopback port, simulated carrier latency 5 ms),
 * creates one opted-in contact per message (batched over 8 threads, not timed), warms the path
 * up, then submits one transactional one-segment message per contact through the core's
 * Messages API (what {@code POST /v1/messages} calls, minus HTTP) from 4 client threads, and
 * waits for every {@code delivered} receipt Dripline acknowledged. It reports messages per
 * second from the first submit to the last receipt, submit-to-delivered p50/p99, and the
 * DynamoDB and SQS calls per message (all of them: api, sender, webhooks). Without
 * {@code --limit} the simulator's sender is unlimited; with it, that number is limited to the
 * given segments per second and the run checks the rate held within 5%. Without it, the run ends
 * by replaying the calls per message it counted on the same engines alone ({@link EngineCeiling})
 * and prints its messages per second as a percentage of that ceiling.
 */
public final class Throughput {

    private Throughput() {
    }

    public static void run(String[] args, PrintStream out) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        int limit = intOption(rest, "--limit", 0);
        int messages = rest.isEmpty() ? (limit > 0 ? 600 : 20_000) : Integer.parseInt(rest.get(0));
        int warmup = intOption(rest, "--warmup", limit > 0 ? 2 * limit : Math.min(3_000, messages / 5));
        if (messages < 1 || messages > 200_000) {
            throw new IllegalArgumentException("messages must be 1 to 200000");
        }
        Map<String, String> env = BenchRuntime.env(limit > 0 ? Integer.toString(limit) : "unlimited");
        env.put("DRIPLINE_SENDER_CONCURRENCY", System.getenv().getOrDefault("DRIPLINE_SENDER_CONCURRENCY", "8"));
        env.put("DRIPLINE_SIMULATOR_RECEIPT_THREADS", "6");
        ClientCalls calls = new ClientCalls();
        long bootStart = System.nanoTime();
        try (LocalRuntime runtime = LocalRuntime.start(env, Optional.of(calls))) {
            Dripline core = runtime.dripline();
            out.printf("runtime up in %.1f s (%d cores); %s%n", (System.nanoTime() - bootStart) / 1e9,
                    Runtime.getRuntime().availableProcessors(),
                    limit > 0 ? "simulator sender limited to " + limit + " segments/s" : "simulator sender unlimited");

            int total = warmup + messages;
            List<String> phones = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                phones.add(phone(i));
            }
            long t = System.nanoTime();
            Parallel.run(8, total, i -> core.contacts().upsert(new ContactInput(phones.get(i), null, null, null, null, null, null, null,
                    new ContactInput.ConsentInput("opted_in", "import", null, "benchmark", null, null)), "bench"));
            out.printf("%d opted-in contacts in %.1f s (not timed)%n", total, (System.nanoTime() - t) / 1e9);

            Map<String, Long> submitted = new ConcurrentHashMap<>();
            Map<String, Long> delivered = new ConcurrentHashMap<>();
            Map<String, Long> accepted = new ConcurrentHashMap<>();
            runtime.carrier().listener(new SimulatedCarrier.Listener() {
                @Override
                public void accepted(String messageId) {
                    accepted.put(messageId, System.nanoTime());
                }

                @Override
                public void receipt(String messageId, String status) {
                    if (status.equals("delivered") || status.equals("undelivered")) {
                        delivered.putIfAbsent(messageId, System.nanoTime());
                    }
                }
            });

            if (warmup > 0) {
                t = System.nanoTime();
                submitAll(core, phones.subList(0, warmup), submitted);
                awaitAll(submitted.keySet(), delivered, 180);
                out.printf("warm-up: %d messages in %.1f s (not timed)%n", warmup, (System.nanoTime() - t) / 1e9);
                submitted.clear();
                delivered.clear();
                accepted.clear();
            }

            calls.reset();
            long first = System.nanoTime();
            submitAll(core, phones.subList(warmup, total), submitted);
            long submitEnd = System.nanoTime();
            long budget = limit > 0 ? messages / limit + 60 : Math.max(120, messages / 50);
            boolean all = awaitAll(submitted.keySet(), delivered, budget);
            long last = delivered.values().stream().mapToLong(Long::longValue).max().orElse(first);
            Map<String, Long> counted = calls.snapshot();

            int done = (int) submitted.keySet().stream().filter(delivered::containsKey).count();
            double seconds = (last - first) / 1e9;
            long[] latencies = submitted.entrySet().stream().filter(e -> delivered.containsKey(e.getKey()))
                    .mapToLong(e -> delivered.get(e.getKey()) - e.getValue()).sorted().toArray();
            out.printf("%nsubmitted %d in %.1f s (%.0f/s, 4 client threads, core Messages API)%n", messages,
                    (submitEnd - first) / 1e9, messages / ((submitEnd - first) / 1e9));
            out.printf("delivered %d of %d%s; first submit to last delivery receipt %.1f s: %.0f messages/s end to end%n",
                    done, messages, all ? "" : " (TIMED OUT)", seconds, done / seconds);
            if (latencies.length > 0) {
                out.printf("submit to delivered: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", pct(latencies, 50) / 1e6,
                        pct(latencies, 99) / 1e6, latencies[latencies.length - 1] / 1e6);
            }
            long dynamo = counted.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDB.")).mapToLong(Map.Entry::getValue).sum();
            long sqs = counted.entrySet().stream().filter(e -> e.getKey().toUpperCase(java.util.Locale.ROOT).startsWith("SQS.")).mapToLong(Map.Entry::getValue).sum();
            out.printf("calls per message: DynamoDB %.2f, SQS %.2f (SQS includes the pollers' empty receives)%n",
                    dynamo / (double) messages, sqs / (double) messages);
            counted.forEach((op, n) -> out.printf("  %-40s %8d  %.2f/message%n", op, n, n / (double) messages));
            if (limit == 0 && done > 0) {
                // The same engines, driven alone with the calls per message this run just counted.
                Map<String, Double> shape = EngineCeiling.shape(counted, messages);
                out.printf("%nengine ceiling in this run, shape per message %s:%n", shape);
                int replay = Math.min(messages, 5_000);
                EngineCeiling.measure(runtime.engines().dynamoDb(), runtime.engines().sqs(), calls, shape, Math.min(1_000, replay), out);
                double ceiling = EngineCeiling.measure(runtime.engines().dynamoDb(), runtime.engines().sqs(), calls, shape, replay, out);
                out.printf("throughput %.0f messages/s = **%.0f%% of the engine ceiling** (%.0f messages/s, same run; target 80%%;"
                        + " load average %.2f)%n", done / seconds, 100 * done / seconds / ceiling, ceiling, EngineCeiling.load());
            }
            if (limit > 0 && accepted.size() > 1) {
                long a0 = accepted.values().stream().mapToLong(Long::longValue).min().orElse(0);
                long a1 = accepted.values().stream().mapToLong(Long::longValue).max().orElse(0);
                double expected = messages / (double) limit;
                double span = (a1 - a0) / 1e9;
                double rate = (accepted.size() - 1) / span;
                out.printf("%nlimit %d segments/s: %d one-segment messages reached the carrier over %.1f s (%.2f/s; the ideal is %.1f s"
                        + " for the span of %d slots: %.1f s); first submit to last delivery %.1f s vs %.1f s expected: %s%n",
                        limit, accepted.size(), span, rate, expected, messages - 1, (messages - 1) / (double) limit, seconds, expected,
                        Math.abs(seconds - expected) <= expected * 0.05 && rate <= limit * 1.05 ? "within 5%" : "OUTSIDE 5%");
            }
        }
    }

    /** Distinct valid US mobile-capable numbers: +1 (415|628|650|669|510) 555 xxxx. */
    static String phone(int i) {
        String[] areas = {"415", "628", "650", "669", "510", "925", "707", "408", "831", "209"};
        return "+1" + areas[(i / 10_000) % areas.length] + "555" + String.format("%04d", i % 10_000);
    }

    private static void submitAll(Dripline core, List<String> phones, Map<String, Long> submitted) throws Exception {
        Parallel.run(4, phones.size(), i -> {
            long t = System.nanoTime();
            String id = core.messages().submit(new OneOffMessage(phones.get(i), null, "Your order has shipped. Track it in the app.",
                    "transactional", null, null), "bench").id();
            submitted.put(id, t);
        });
    }

    private static boolean awaitAll(java.util.Set<String> ids, Map<String, Long> delivered, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (delivered.keySet().containsAll(ids)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static long pct(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static int intOption(List<String> args, String name, int fallback) {
        int at = args.indexOf(name);
        if (at < 0) {
            return fallback;
        }
        int value = Integer.parseInt(args.get(at + 1));
        args.remove(at + 1);
        args.remove(at);
        return value;
    }
}
