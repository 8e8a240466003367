package dev.dripline.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * {@code java -jar local/target/dripline-local.jar crash-test [recipients]}: the local runtime in
 * a child JVM on a data directory, killed with SIGKILL at the worst moments and started again on
 * the same directory; then every message is checked on its record and on the simulated handset.
 *
 * <p>Scenarios: a broadcast killed during its fan-out, one-off messages killed while they are
 * being sent, and a broadcast scheduled for later killed before it starts. Each reports messages
 * accepted, delivered, doubled (a handset got it more than once), lost (accepted, never on the
 * handset) and stuck (no final status on its record at the end).
 */
public final class CrashDrill {

    private static final Set<String> FINAL = Set.of("delivered", "undelivered", "failed", "expired");

    /** One scenario's outcome. */
    public record Outcome(String scenario, int accepted, int delivered, int doubled, int lost, int stuck, double seconds) {
        public boolean clean() {
            return accepted > 0 && doubled == 0 && lost == 0 && stuck == 0 && delivered == accepted;
        }
    }

    private final Path dir;
    private final Duration settle;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private ChildRuntime runtime;

    /** @param settle how long the check waits for any message's status to move before it calls the rest stuck */
    public CrashDrill(Path dir, Duration settle) {
        this.dir = dir;
        this.settle = settle;
    }

    public static void run(String[] args, PrintStream out) throws Exception {
        int recipients = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path root = Files.createTempDirectory("dripline-crash-");
        out.printf("crash-test: %d recipients per scenario; data directories and runtime logs under %s%n", recipients, root);
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(new CrashDrill(root.resolve("fan-out"), Duration.ofSeconds(60)).killDuringFanOut(recipients));
        out.println(line(outcomes.get(outcomes.size() - 1)));
        outcomes.add(new CrashDrill(root.resolve("sending"), Duration.ofSeconds(60)).killWhileSending(Math.max(50, recipients / 2)));
        out.println(line(outcomes.get(outcomes.size() - 1)));
        outcomes.add(new CrashDrill(root.resolve("scheduled"), Duration.ofSeconds(60)).killBeforeAScheduledStart(recipients));
        out.println(line(outcomes.get(outcomes.size() - 1)));
        out.println();
        out.println("| scenario | accepted | delivered | doubled | lost | stuck | seconds |");
        out.println("|---|---|---|---|---|---|---|");
        outcomes.forEach(o -> out.printf("| %s | %d | %d | %d | %d | %d | %.0f |%n", o.scenario(), o.accepted(), o.delivered(), o.doubled(),
                o.lost(), o.stuck(), o.seconds()));
        boolean clean = outcomes.stream().allMatch(Outcome::clean);
        out.println(clean ? "every scenario: 0 doubled, 0 lost, 0 stuck" : "FAILED: see the table");
        if (!clean) {
            System.exit(1);
        }
    }

    private static String line(Outcome o) {
        return String.format("%-28s accepted %d, delivered %d, doubled %d, lost %d, stuck %d (%.0f s)", o.scenario(), o.accepted(),
                o.delivered(), o.doubled(), o.lost(), o.stuck(), o.seconds());
    }

    // ---------------------------------------------------------------- scenarios

    /** A broadcast to {@code n} contacts, SIGKILL as soon as its first recipients are queued. */
    public Outcome killDuringFanOut(int n) throws Exception {
        long t0 = System.nanoTime();
        start();
        Map<String, String> contacts = contacts("fanout", "+1212555", n);
        String id = broadcast("fanout", "Crash drill: fan-out", null);
        waitFor(() -> queued(id) > 0, Duration.ofSeconds(60));
        runtime.kill();
        start();
        return check("broadcast, killed in fan-out", id, contacts, t0);
    }

    /** {@code n} one-off messages submitted from four threads; SIGKILL when half were accepted. */
    public Outcome killWhileSending(int n) throws Exception {
        long t0 = System.nanoTime();
        start();
        Map<String, String> accepted = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    String phone = String.format("+1213555%04d", 1000 + i);
                    try {
                        HttpResponse<String> r = post("/v1/messages", Map.of("to", phone, "body", "Crash drill: sending " + i), "drill-" + i);
                        if (r.statusCode() == 202) {
                            accepted.put(phone, Json.read(r.body(), JsonNode.class).get("id").asText());
                        }
                    } catch (IOException refused) {
                        // killed: this one was never accepted
                    }
                }
                return null;
            }));
        }
        waitFor(() -> accepted.size() >= n / 2, Duration.ofSeconds(60));
        runtime.kill();
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        start();
        return check("one-off messages, killed while sending", null, accepted, t0);
    }

    /** A broadcast due 20 s after its creation; SIGKILL at once, restarted after it fell due. */
    public Outcome killBeforeAScheduledStart(int n) throws Exception {
        long t0 = System.nanoTime();
        start();
        Map<String, String> contacts = contacts("later", "+1312555", n);
        Instant sendAt = Instant.now().plusSeconds(20);
        String id = broadcast("later", "Crash drill: scheduled", sendAt);
        runtime.kill();
        ChildRuntime.sleep(Math.max(0, Duration.between(Instant.now(), sendAt).toMillis()));
        start();
        return check("broadcast scheduled for later", id, contacts, t0);
    }

    // ---------------------------------------------------------------- checks

    /**
     * Waits until every message has a final status (or {@code settle} passes), then counts.
     *
     * @param byPhone recipient phone → message id (broadcasts: contact id, turned into its message id)
     */
    private Outcome check(String scenario, String broadcastId, Map<String, String> byPhone, long t0) throws Exception {
        Map<String, String> messageIds = new LinkedHashMap<>();
        byPhone.forEach((phone, id) -> messageIds.put(phone, broadcastId == null ? id : Broadcasts.messageId(broadcastId, id)));
        Map<String, String> statuses = new ConcurrentHashMap<>();
        // Until every message is final, or nothing moved for `settle` (a busy machine sends slowly, a stuck one not at all).
        Instant deadline = Instant.now().plus(settle);
        while (true) {
            boolean moved = false;
            for (var e : messageIds.entrySet()) {
                String before = statuses.getOrDefault(e.getKey(), "");
                if (!FINAL.contains(before)) {
                    HttpResponse<String> r = get("/v1/messages/" + e.getValue());
                    String now = r.statusCode() == 200 ? Json.read(r.body(), JsonNode.class).path("status").asText() : "none";
                    statuses.put(e.getKey(), now);
                    moved |= !now.equals(before);
                }
            }
            if (moved) {
                deadline = Instant.now().plus(settle);
            }
            if (statuses.values().stream().allMatch(FINAL::contains) || Instant.now().isAfter(deadline)) {
                break;
            }
            ChildRuntime.sleep(1000);
        }
        ChildRuntime.sleep(500);
        int delivered = 0;
        int doubled = 0;
        int lost = 0;
        int stuck = 0;
        for (var e : messageIds.entrySet()) {
            JsonNode inbox = Json.read(get("/local/phones/" + e.getKey() + "/messages").body(), JsonNode.class);
            int copies = 0;
            for (JsonNode m : inbox.path("items")) {
                if ("outbound".equals(m.path("direction").asText()) && m.path("body").asText().contains("Crash drill")) {
                    copies++;
                }
            }
            String status = statuses.get(e.getKey());
            if (copies > 1) {
                doubled++;
            }
            if (copies == 0) {
                lost++;
            }
            if (!FINAL.contains(status)) {
                stuck++;
            } else if (copies >= 1 && status.equals("delivered")) {
                delivered++;
            }
        }
        runtime.stop();
        return new Outcome(scenario, messageIds.size(), delivered, doubled, lost, stuck, (System.nanoTime() - t0) / 1e9);
    }

    // ---------------------------------------------------------------- the API

    private void start() throws IOException {
        Files.createDirectories(dir);
        runtime = ChildRuntime.start(dir, dir.resolve("runtime.log"), Map.of());
    }

    /** {@code n} opted-in contacts tagged {@code tag}: phone → contact id. */
    private Map<String, String> contacts(String tag, String prefix, int n) throws Exception {
        Map<String, String> ids = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String phone = prefix + String.format("%04d", 1000 + i);
            done.add(pool.submit(() -> {
                HttpResponse<String> r = post("/v1/contacts", Map.of("phone", phone, "tags", List.of(tag), "consent",
                        Map.of("status", "opted_in", "source", "api", "proof", "Crash drill: yes, text me")), null);
                // A 429 is the API's answer to four callers sharing one key's bucket: wait as it says, as a client should.
                for (int attempt = 0; r.statusCode() == 429 && attempt < 20; attempt++) {
                    Thread.sleep(1000L * Math.max(1, Long.parseLong(r.headers().firstValue("Retry-After").orElse("1").trim())));
                    r = post("/v1/contacts", Map.of("phone", phone, "tags", List.of(tag), "consent",
                            Map.of("status", "opted_in", "source", "api", "proof", "Crash drill: yes, text me")), null);
                }
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException("contact " + phone + ": " + r.statusCode() + " " + r.body());
                }
                ids.put(phone, Json.read(r.body(), JsonNode.class).get("id").asText());
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return ids;
    }

    private String broadcast(String tag, String body, Instant sendAt) throws Exception {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("name", body);
        in.put("audience", Map.of("tags", List.of(tag)));
        in.put("body", body);
        // Transactional: quiet hours (which depend on the hour this runs at) would hold marketing.
        in.put("category", "transactional");
        if (sendAt != null) {
            in.put("sendAt", sendAt.toString());
        }
        HttpResponse<String> r = post("/v1/broadcasts", in, null);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("broadcast: " + r.statusCode() + " " + r.body());
        }
        return Json.read(r.body(), JsonNode.class).get("id").asText();
    }

    private long queued(String broadcastId) {
        try {
            return Json.read(get("/v1/broadcasts/" + broadcastId).body(), JsonNode.class).path("queued").asLong();
        } catch (Exception e) {
            return 0;
        }
    }

    private HttpResponse<String> post(String path, Object body, String idempotencyKey) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ChildRuntime.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + ChildRuntime.KEY).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private URI url(String path) {
        return URI.create(runtime.url() + path);
    }

    private static void waitFor(BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out after " + timeout);
            }
            ChildRuntime.sleep(20);
        }
    }
}
