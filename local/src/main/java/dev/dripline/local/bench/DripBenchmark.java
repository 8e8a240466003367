package dev.dripline.local.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Dripline;
import dev.dripline.contacts.ContactInput;
import dev.dripline.drip.Campaign;
import dev.dripline.json.Json;
import dev.dripline.local.LocalRuntime;
import dev.dripline.engines.ClientCalls;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The drip engine's benchmark: {@code java -jar local/target/dripline-local.jar drip-bench [contacts]} (default 100,000).
 *
 * <p>Starts the local runtime in this JVM with the sender off (sends pile up on the send queue:
 * the sender's own rate is the {@code throughput} benchmark's), creates the contacts (in Los
 * Angeles, opted in; not timed), moves the clock to 12:00 there, and enrols every contact by
 * API in a three-step marketing campaign: a welcome message now, a tag an hour later, a
 * follow-up message a day later. It reports enrolments per second, steps per second for each
 * of the three steps, how the time per step changes as the steps pending in the scheduler grow
 * from 10% to 100% of the contacts, and the DynamoDB and SQS calls per step (every call of every
 * client, the steps queue's pollers included).
 */
public final class DripBenchmark {

    static final String CAMPAIGN = """
            {"name": "Benchmark welcome", "category": "marketing", "trigger": {"api": true},
             "steps": [
               {"id": "welcome", "send": {"body": "Welcome {{firstName|there}}! Your 10% code is WELCOME10"}},
               {"id": "tag", "wait": "PT1H", "tag": ["welcomed"]},
               {"id": "followup", "wait": "P1D", "send": {"body": "Did you get a chance to use your code?"}}
             ]}""";

    private DripBenchmark() {
    }

    public static void run(String[] args, PrintStream out) throws Exception {
        int contacts = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        if (contacts < 100 || contacts > 1_000_000) {
            throw new IllegalArgumentException("contacts must be 100 to 1000000");
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.dripline")).setLevel(Level.WARN);
        Map<String, String> env = new HashMap<>();
        env.put("DRIPLINE_PORT", "0");
        env.put("DRIPLINE_SENDER_CONCURRENCY", "0");
        env.put("DRIPLINE_STEPS_CONCURRENCY", System.getenv().getOrDefault("DRIPLINE_STEPS_CONCURRENCY", "4"));
        env.put("DRIPLINE_FREQUENCY_CAP", "5");
        ClientCalls calls = new ClientCalls();
        try (LocalRuntime runtime = LocalRuntime.start(env, Optional.of(calls))) {
            Dripline core = runtime.dripline();
            out.printf("runtime up (%d cores); sender off; %s steps pollers%n", Runtime.getRuntime().availableProcessors(),
                    env.get("DRIPLINE_STEPS_CONCURRENCY"));
            long t = System.nanoTime();
            List<String> ids = new ArrayList<>(java.util.Collections.nCopies(contacts, (String) null));
            Parallel.run(8, contacts, i -> ids.set(i, core.contacts().upsert(new ContactInput(phone(i), null, "Ada", null, null,
                    "America/Los_Angeles", null, null, new ContactInput.ConsentInput("opted_in", "import", null, "benchmark", null, null)),
                    "bench").contact().id()));
            out.printf("%d contacts in %.1f s (not timed)%n", contacts, (System.nanoTime() - t) / 1e9);

            // Noon in Los Angeles: inside the quiet hours, so every step runs when it falls due.
            ZoneId la = ZoneId.of("America/Los_Angeles");
            ZonedDateTime now = runtime.clock().instant().atZone(la);
            ZonedDateTime noon = now.toLocalDate().atTime(LocalTime.NOON).atZone(la);
            if (!noon.isAfter(now)) {
                noon = noon.plusDays(1);
            }
            runtime.clock().advance(Duration.between(now.toInstant(), noon.toInstant()));

            Campaign campaign = core.campaigns().create(Json.read(CAMPAIGN, JsonNode.class));
            core.campaigns().transition(campaign.id(), Campaign.Status.ACTIVE);

            // Enrolment and the first step (a message each).
            calls.reset();
            long start = System.nanoTime();
            for (int from = 0; from < contacts; from += 1000) {
                core.journeyInbox().enrol(campaign.id(), ids.subList(from, Math.min(contacts, from + 1000)), Map.of(), "bench");
            }
            List<double[]> samples = new ArrayList<>();
            // The first step runs with the enrolment; each leaves its tag step waiting in the scheduler.
            long enrolledAt = waitFor(() -> stat(core, campaign.id(), "enrolled") >= contacts, 3600,
                    () -> samples.add(new double[] {runtime.scheduler().pending(), steps(core, campaign.id()), System.nanoTime()}));
            long firstDone = waitFor(() -> steps(core, campaign.id()) >= contacts, 3600, null);
            Map<String, Long> phase1 = calls.snapshot();
            double enrolSeconds = (enrolledAt - start) / 1e9;
            double phase1Seconds = (firstDone - start) / 1e9;
            out.printf("%nenrolled %d in %.1f s: %.0f enrolments/s%n", contacts, enrolSeconds, contacts / enrolSeconds);
            out.printf("step 1 (send, run with its enrolment): %d steps, first enrolment to last step %.1f s: %.0f steps/s%n",
                    contacts, phase1Seconds, contacts / phase1Seconds);
            report(out, "enrolment + step 1", phase1, contacts);
            growth(out, samples, contacts);

            // Step 2 (tag) an hour later: every schedule fires at once.
            calls.reset();
            long before = steps(core, campaign.id());
            start = System.nanoTime();
            runtime.clock().advance(Duration.ofHours(1));
            long tagDone = waitFor(() -> steps(core, campaign.id()) >= before + contacts, 3600, null);
            double tagSeconds = (tagDone - start) / 1e9;
            out.printf("%nstep 2 (tag): %d steps in %.1f s: %.0f steps/s%n", contacts, tagSeconds, contacts / tagSeconds);
            report(out, "step 2", calls.snapshot(), contacts);

            calls.reset();
            long before3 = steps(core, campaign.id());
            start = System.nanoTime();
            runtime.clock().advance(Duration.ofDays(1));
            long followDone = waitFor(() -> steps(core, campaign.id()) >= before3 + contacts, 3600, null);
            double followSeconds = (followDone - start) / 1e9;
            out.printf("%nstep 3 (send): %d steps in %.1f s: %.0f steps/s%n", contacts, followSeconds, contacts / followSeconds);
            report(out, "step 3", calls.snapshot(), contacts);
            out.printf("%nmessages waiting on the send queue: %d (2 per contact expected)%n",
                    Long.parseLong(runtime.engines().sqs().getQueueAttributes(r -> r.queueUrl(runtime.queueUrls().get("send"))
                            .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages")));
        }
    }

    /** Time per step in each tenth of the run, by how many steps were pending in the scheduler then. */
    private static void growth(PrintStream out, List<double[]> samples, int contacts) {
        out.println("time per step as the steps pending in the scheduler grow (each enrolment leaves its tag step waiting):");
        int from = 0;
        for (int tenth = 1; tenth <= 10; tenth++) {
            double mark = tenth * contacts / 10.0;
            int to = from;
            while (to < samples.size() - 1 && samples.get(to)[0] < mark * 0.999) {
                to++;
            }
            if (to > from && samples.get(to)[1] > samples.get(from)[1]) {
                double ms = (samples.get(to)[2] - samples.get(from)[2]) / 1e6 / (samples.get(to)[1] - samples.get(from)[1]);
                out.printf("  %7.0f → %7.0f pending: %.2f ms per step (%.0f steps/s)%n", samples.get(from)[0], samples.get(to)[0], ms, 1000 / ms);
            }
            from = to;
        }
    }

    private static void report(PrintStream out, String phase, Map<String, Long> counted, int steps) {
        long dynamo = counted.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDB.")).mapToLong(Map.Entry::getValue).sum();
        long sqs = counted.entrySet().stream().filter(e -> e.getKey().toUpperCase(java.util.Locale.ROOT).startsWith("SQS."))
                .mapToLong(Map.Entry::getValue).sum();
        out.printf("%s: DynamoDB %.2f calls/step, SQS %.2f calls/step (pollers' empty receives included)%n", phase,
                dynamo / (double) steps, sqs / (double) steps);
        counted.forEach((op, n) -> out.printf("  %-36s %9d  %.2f/step%n", op, n, n / (double) steps));
    }

    private static long stat(Dripline core, String campaignId, String name) {
        Object v = core.analytics().campaignStats(campaignId).get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static long steps(Dripline core, String campaignId) {
        return core.counters().campaign(campaignId).total("stepsDone");
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static long waitFor(Check check, long seconds, Runnable sample) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (sample != null) {
                sample.run();
            }
            if (check.done()) {
                return System.nanoTime();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the benchmark did not finish in " + seconds + " s");
    }

    static String phone(int i) {
        String[] areas = {"213", "310", "323", "424", "562", "626", "747", "818", "661", "805"};
        return "+1" + areas[(i / 10_000) % areas.length] + "555" + String.format("%04d", i % 10_000);
    }
}
