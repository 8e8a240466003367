package dev.dripline.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import dev.dripline.local.LocalRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code fault-injection [--fast] [--messages N] [--outage PT10M]}: the in-process local runtime
 * sending through the real Twilio adapter to {@link FaultyTwilio} on 127.0.0.1, one scenario per
 * fault. Each scenario accepts messages through the HTTP API while the provider is failing, keeps
 * the fault for the outage, heals the provider and waits for every message to settle, then counts
 * from the provider's side (what it created, per message) and the API's (the status a user sees).
 *
 * <p>Counted per scenario: accepted (202s), delivered (created at the provider exactly once and
 * shown as handed over or beyond), doubled (created more than once), lost (shown as sent but never
 * created, or gone from the API), stuck (still {@code accepted}: no status a user can see), and
 * the visible endings: failed, expired, unknown.
 *
 * <p>{@code --fast} (the CI tests): a 2 s outage, a circuit that opens at the first failure
 * for a 1 s cool-down, a 300 ms provider
 * timeout (so the first lookup after an unknown outcome comes 1.8 s after it) and Retry-After: 1.
 * Without it: a 10-minute outage, the default circuit (5 failures, 30 s), a 2 s timeout and
 * Retry-After: 2.
 * The last scenario moves the runtime's clock a day on during an outage instead of waiting one.
 */
public final class FaultInjection {

    /** One fault and how long it lasts; {@code pastValidity}: the runtime's clock jumps past the messages' validity meanwhile. */
    public record Scenario(String name, FaultyTwilio.Mode mode, boolean pastValidity) {
    }

    /** What one scenario did. */
    public record Outcome(String scenario, int accepted, int delivered, int doubled, int lost, int stuck, int failed, int expired,
                          int unknown, int providerRequests, Duration took) {

        /** Nothing sent twice, nothing lost, nothing without a status a user can see. */
        public boolean clean() {
            return doubled == 0 && lost == 0 && stuck == 0;
        }
    }

    /** How a run is shaped. */
    public record Options(int messages, Duration outage, Duration coolDown, Duration providerTimeout, int retryAfterSeconds,
                          Duration settleWithin, int breakerFailures) {

        /** One failure opens the circuit, so that no message waits the 15 s first backoff. */
        public static Options fast() {
            return new Options(10, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(300), 1, Duration.ofSeconds(25), 1);
        }

        public static Options full() {
            return new Options(20, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(2), 2, Duration.ofMinutes(5), 5);
        }
    }

    public static final List<Scenario> SCENARIOS = List.of(
            new Scenario("500 Internal Server Error", FaultyTwilio.Mode.ERROR_500, false),
            new Scenario("429 + Retry-After", FaultyTwilio.Mode.THROTTLED_429, false),
            new Scenario("connection refused", FaultyTwilio.Mode.REFUSING, false),
            new Scenario("connection reset", FaultyTwilio.Mode.RESET, false),
            new Scenario("stalled (no answer)", FaultyTwilio.Mode.STALLED, false),
            new Scenario("refused past validity", FaultyTwilio.Mode.REFUSING, true));

    private static final Set<String> HANDED_OVER = Set.of("queued", "sent", "delivered", "undelivered");

    private FaultInjection() {
    }

    public static void run(String[] args, PrintStream out) throws Exception {
        Options options = Options.full();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--fast" -> options = Options.fast();
                case "--messages" -> options = new Options(Integer.parseInt(args[++i]), options.outage(), options.coolDown(),
                        options.providerTimeout(), options.retryAfterSeconds(), options.settleWithin(), options.breakerFailures());
                case "--outage" -> options = new Options(options.messages(), Duration.parse(args[++i]), options.coolDown(),
                        options.providerTimeout(), options.retryAfterSeconds(), options.settleWithin(), options.breakerFailures());
                default -> throw new IllegalArgumentException("fault-injection: unknown option '" + args[i]
                        + "' (usage: fault-injection [--fast] [--messages N] [--outage PT10M])");
            }
        }
        out.printf("fault injection: %d messages per scenario, outage %s, circuit cool-down %s, provider timeout %s%n",
                options.messages(), options.outage(), options.coolDown(), options.providerTimeout());
        List<Outcome> outcomes = runAll(options, out);
        out.println();
        out.println(table(outcomes));
        boolean clean = outcomes.stream().allMatch(Outcome::clean);
        out.println(clean ? "every scenario: 0 doubled, 0 lost, 0 stuck" : "FAULTS FOUND: see the table");
        if (!clean) {
            System.exit(1);
        }
    }

    /** Runs every scenario on one runtime and one faulty provider, in order. */
    public static List<Outcome> runAll(Options options, PrintStream log) throws Exception {
        try (FaultyTwilio twilio = new FaultyTwilio(options.retryAfterSeconds())) {
            Map<String, String> env = new HashMap<>();
            env.put("DRIPLINE_PORT", "0");
            env.put("DRIPLINE_PROVIDERS", "twilio");
            env.put("DRIPLINE_TWILIO_ACCOUNT_SID", "ACfaultinjection");
            env.put("DRIPLINE_TWILIO_AUTH_TOKEN", "fault-injection-token");
            env.put("DRIPLINE_TWILIO_FROM", "+15005550006");
            env.put("DRIPLINE_TWILIO_BASE_URL", twilio.url().toString());
            env.put("DRIPLINE_BREAKER_COOL_DOWN", options.coolDown().toString());
            env.put("DRIPLINE_PROVIDER_TIMEOUT", options.providerTimeout().toString());
            // A short code's throughput and a generous API rate: what is measured is the faults, not the pacing.
            env.put("DRIPLINE_SENDERS", "twilio:+15005550006=short_code@100");
            env.put("DRIPLINE_API_RATE", "1000");
            env.put("DRIPLINE_API_BURST", "1000");
            env.put("DRIPLINE_BREAKER_FAILURES", Integer.toString(options.breakerFailures()));
            try (LocalRuntime runtime = LocalRuntime.start(env)) {
                List<Outcome> outcomes = new ArrayList<>();
                int scenarioNumber = 0;
                for (Scenario scenario : SCENARIOS) {
                    Outcome outcome = run(scenario, scenarioNumber++, options, runtime, twilio);
                    log.printf("  %-26s %s%n", scenario.name(), outcome.clean() ? "clean" : "FAULTS: " + outcome);
                    outcomes.add(outcome);
                }
                return outcomes;
            }
        }
    }

    private static Outcome run(Scenario scenario, int number, Options options, LocalRuntime runtime, FaultyTwilio twilio)
            throws Exception {
        long start = System.nanoTime();
        Api api = new Api(runtime.url(), runtime.apiKey());
        int requestsBefore = twilio.requests();
        twilio.mode(scenario.mode());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < options.messages(); i++) {
            String to = String.format(Locale.ROOT, "+1415555%d%03d", number, i);
            JsonNode accepted = api.post("/v1/messages", Map.of("to", to, "body", "Fault test " + number + "." + i + ": your code is 4321",
                    "category", "transactional"));
            ids.add(accepted.path("id").asText());
        }
        if (scenario.pastValidity()) {
            Thread.sleep(options.coolDown().toMillis() + 500);
            runtime.clock().advance(Duration.ofDays(1).plusHours(1));
            await(api, ids, options.settleWithin(), status -> !status.equals("accepted"));
        } else {
            Thread.sleep(options.outage().toMillis());
        }
        twilio.mode(FaultyTwilio.Mode.HEALTHY);
        Map<String, String> statuses = await(api, ids, options.settleWithin(), status -> !status.equals("accepted") && !status.equals("unknown"));
        Map<String, Long> created = twilio.created().stream()
                .collect(Collectors.groupingBy(c -> String.valueOf(c.messageId()), Collectors.counting()));
        int delivered = 0;
        int doubled = 0;
        int lost = 0;
        int stuck = 0;
        for (String id : ids) {
            long times = created.getOrDefault(id, 0L);
            String status = statuses.get(id);
            if (times > 1) {
                doubled++;
            }
            if (status == null || (times == 0 && HANDED_OVER.contains(status))) {
                lost++;
            } else if (status.equals("accepted")) {
                stuck++;
            } else if (times == 1 && HANDED_OVER.contains(status)) {
                delivered++;
            }
        }
        Function<String, Integer> count = wanted -> (int) statuses.values().stream().filter(wanted::equals).count();
        return new Outcome(scenario.name(), ids.size(), delivered, doubled, lost, stuck, count.apply("failed"), count.apply("expired"),
                count.apply("unknown"), twilio.requests() - requestsBefore, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Polls each message's status until {@code settled} holds for all, or {@code within} passes; the last statuses seen. */
    private static Map<String, String> await(Api api, List<String> ids, Duration within, java.util.function.Predicate<String> settled)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, String> statuses = new LinkedHashMap<>();
        while (true) {
            for (String id : ids) {
                JsonNode message = api.get("/v1/messages/" + id);
                statuses.put(id, message == null ? null : message.path("status").asText());
            }
            boolean all = statuses.values().stream().allMatch(s -> s != null && settled.test(s));
            if (all || System.nanoTime() > deadline) {
                return statuses;
            }
            Thread.sleep(250);
        }
    }

    /** The README's table. */
    public static String table(List<Outcome> outcomes) {
        StringBuilder t = new StringBuilder(
                "| scenario | accepted | delivered once | doubled | lost | stuck | failed | expired | unknown | provider requests | took |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            t.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f s |%n", o.scenario(), o.accepted(),
                    o.delivered(), o.doubled(), o.lost(), o.stuck(), o.failed(), o.expired(), o.unknown(), o.providerRequests(),
                    o.took().toMillis() / 1000.0));
        }
        return t.toString();
    }

    /** The runtime's HTTP API, as an integrator calls it. */
    private static final class Api {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI base;
        private final String key;

        Api(URI base, String key) {
            this.base = base;
            this.key = key;
        }

        JsonNode post(String path, Map<String, Object> body) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return Json.read(response.body(), JsonNode.class);
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Json.read(response.body(), JsonNode.class) : null;
        }
    }
}
