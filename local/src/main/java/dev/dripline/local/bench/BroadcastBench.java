package dev.dripline.local.bench;

import dev.dripline.Dripline;
import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.contacts.ContactInput;
import dev.dripline.engines.ClientCalls;
import dev.dripline.local.LocalRuntime;
import dev.dripline.local.SimulatedCarrier;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code java -jar local/target/dripline-local.jar broadcast-bench [n]}: a marketing broadcast to
 * {@code n} (default 5,000) opted-in recipients whose time zone has them in their daytime now,
 * end to end on the in-process runtime through the simulated carrier (latency 5 ms, unlimited
 * sender), after an untimed warm-up broadcast to 1,000 others. Prints messages per second from
 * the broadcast's creation to its last delivery receipt, and every AWS call per recipient.
 */
public final class BroadcastBench {

    static final int WARMUP = 1_000;
    private static final List<String> ZONES = List.of("America/New_York", "America/Chicago", "America/Denver",
            "America/Los_Angeles", "Pacific/Honolulu", "Europe/London", "Europe/Berlin", "Asia/Dubai", "Asia/Kolkata",
            "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland");

    private BroadcastBench() {
    }

    /** A zone in which it is now between 11:00 and 17:59, far from any quiet hours. */
    static String daytimeZone(Instant now) {
        for (String zone : ZONES) {
            int hour = ZonedDateTime.ofInstant(now, ZoneId.of(zone)).getHour();
            if (hour >= 11 && hour < 18) {
                return zone;
            }
        }
        throw new IllegalStateException("no daytime zone in " + ZONES);
    }

    public static void run(String[] args, PrintStream out) throws Exception {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException("n must be 1 to 100000 recipients");
        }
        Map<String, String> env = BenchRuntime.env("unlimited");
        env.put("DRIPLINE_SENDER_CONCURRENCY", System.getenv().getOrDefault("DRIPLINE_SENDER_CONCURRENCY", "8"));
        env.put("DRIPLINE_SIMULATOR_RECEIPT_THREADS", "6");
        ClientCalls calls = new ClientCalls();
        try (LocalRuntime runtime = LocalRuntime.start(env, Optional.of(calls))) {
            Dripline core = runtime.dripline();
            String zone = daytimeZone(Instant.now());
            out.printf("broadcast-bench: %d recipients in %s (local time %s); machine: %d cores, load average %.2f%n", n, zone,
                    ZonedDateTime.now(ZoneId.of(zone)).toLocalTime().withNano(0), Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            Map<String, Long> delivered = new ConcurrentHashMap<>();
            runtime.carrier().listener(new SimulatedCarrier.Listener() {
                @Override
                public void receipt(String messageId, String status) {
                    if (status.equals("delivered") || status.equals("undelivered")) {
                        delivered.putIfAbsent(messageId, System.nanoTime());
                    }
                }
            });
            long t = System.nanoTime();
            contacts(core, 0, WARMUP, zone, "bench-warmup");
            contacts(core, WARMUP, n, zone, "bench-broadcast");
            out.printf("%d opted-in contacts in %.1f s (not timed)%n", WARMUP + n, (System.nanoTime() - t) / 1e9);

            t = System.nanoTime();
            broadcast(core, "bench-warmup");
            boolean warm = await(delivered, WARMUP, 300);
            out.printf("warm-up broadcast: %d of %d delivered in %.1f s (not timed)%n", delivered.size(), WARMUP,
                    (System.nanoTime() - t) / 1e9);
            if (!warm) {
                throw new IllegalStateException("the warm-up broadcast was not delivered in 300 s");
            }
            Thread.sleep(1_000);
            delivered.clear();
            calls.reset();
            long first = System.nanoTime();
            Broadcasts.Broadcast created = broadcast(core, "bench-broadcast");
            boolean all = await(delivered, n, Math.max(120, n / 20));
            long last = delivered.values().stream().mapToLong(Long::longValue).max().orElse(first);
            Map<String, Long> counted = calls.snapshot();
            double seconds = (last - first) / 1e9;
            int done = delivered.size();
            out.printf("%nbroadcast %s: delivered %d of %d%s; creation to last delivery receipt %.1f s: **%.0f messages/s** end to end"
                    + " (load average %.2f)%n", created.id(), done, n, all ? "" : " (TIMED OUT)", seconds, done / seconds,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            long dynamo = sum(counted, "DYNAMODB.");
            long sqs = sum(counted, "SQS.");
            long scheduler = sum(counted, "SCHEDULER.");
            out.printf("AWS calls per recipient: DynamoDB %.2f, SQS %.2f, Scheduler %.2f (SQS includes the pollers' empty receives)%n",
                    dynamo / (double) n, sqs / (double) n, scheduler / (double) n);
            counted.forEach((op, c) -> out.printf("  %-40s %8d  %.2f/recipient%n", op, c, c / (double) n));
        }
    }

    private static long sum(Map<String, Long> counted, String prefix) {
        return counted.entrySet().stream().filter(e -> e.getKey().toUpperCase(Locale.ROOT).startsWith(prefix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static void contacts(Dripline core, int from, int count, String zone, String tag) throws Exception {
        List<String> phones = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            phones.add(Throughput.phone(from + i));
        }
        Parallel.run(8, count, i -> core.contacts().upsert(new ContactInput(phones.get(i), null, null, null, null, zone, null,
                List.of(tag), new ContactInput.ConsentInput("opted_in", "import", null, "benchmark", null, null)), "bench"));
    }

    private static Broadcasts.Broadcast broadcast(Dripline core, String tag) {
        return core.broadcasts().create(new Broadcasts.BroadcastInput("bench " + tag, Map.of("tags", List.of(tag)),
                "Spring sale: 20% off everything today. Reply STOP to opt out.", "marketing", null, null, null));
    }

    private static boolean await(Map<String, Long> delivered, int n, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (delivered.size() < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
