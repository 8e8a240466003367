package dev.dripline.local;

import dev.dripline.messaging.SenderSettings;
import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.auth.ApiKeys;
import dev.dripline.queue.SqsQueue;
import dev.dripline.sender.SenderHandler;
import dev.dripline.steps.ImportsHandler;
import dev.dripline.steps.StepsHandler;
import dev.dripline.engines.ClientCalls;
import dev.dripline.engines.InProcessEngines;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.RuntimeBeanDefinition;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.concurrent.CompletableFuture;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product on one machine: the engines in-process, the api and webhooks controllers
 * on one HTTP server, the steps and sender handlers driven by queue pollers, the scheduler
 * stand-in and the simulated carrier, all on one movable clock.
 */
public final class LocalRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRuntime.class);

    private final InProcessEngines engines;
    private final LocalScheduler scheduler;
    private final SimulatedCarrier carrier;
    private final QueuePoller sendPoller;
    private final QueuePoller stepsPoller;
    private final QueuePoller importsPoller;
    private final ApplicationContext http;
    private final MovableClock clock;
    private final Dripline dripline;
    private final URI url;
    private final String apiKey;
    private final Map<String, String> queueUrls;

    private LocalRuntime(InProcessEngines engines, LocalScheduler scheduler, SimulatedCarrier carrier, QueuePoller sendPoller,
                         QueuePoller stepsPoller, QueuePoller importsPoller, ApplicationContext http, MovableClock clock, Dripline dripline, URI url,
                         String apiKey, Map<String, String> queueUrls) {
        this.engines = engines;
        this.scheduler = scheduler;
        this.carrier = carrier;
        this.sendPoller = sendPoller;
        this.stepsPoller = stepsPoller;
        this.importsPoller = importsPoller;
        this.http = http;
        this.clock = clock;
        this.dripline = dripline;
        this.url = url;
        this.apiKey = apiKey;
        this.queueUrls = queueUrls;
    }

    /** Starts everything from DRIPLINE_* variables ({@link System#getenv()} from {@link Main}). */
    public static LocalRuntime start(Map<String, String> environment) {
        return start(environment, Optional.empty());
    }

    /**
     * Why the runtime cannot start, in one line that names the setting to change. Whatever had
     * started is stopped before it is thrown, so nothing keeps the JVM running.
     */
    public static final class StartFailure extends RuntimeException {
        public StartFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** As {@link #start(Map)}, with every DynamoDB and SQS call of the engines' clients counted (benchmarks). */
    public static LocalRuntime start(Map<String, String> environment, Optional<ClientCalls> calls) {
        java.util.Deque<AutoCloseable> started = new java.util.ArrayDeque<>();
        try {
            return start(environment, calls, started);
        } catch (RuntimeException e) {
            stop(started);
            throw startFailure(e);
        } catch (Error e) {
            stop(started);
            throw e;
        }
    }

    private static void stop(java.util.Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception ignored) {
                // Best effort: the first failure is the one to report.
            }
        }
    }

    /** The failure as a one-line {@link StartFailure} where it is a configuration mistake; anything else as it is. */
    static RuntimeException startFailure(RuntimeException e) {
        if (e instanceof StartFailure) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return new StartFailure("the HTTP port is taken (" + t.getMessage() + "): set DRIPLINE_PORT to a free port (0 picks one)");
            }
            if ((t instanceof IllegalArgumentException || t instanceof IllegalStateException) && t.getMessage() != null
                    && t.getMessage().contains("DRIPLINE_")) {
                return new StartFailure(t.getMessage());
            }
        }
        return e;
    }

    private static LocalRuntime start(Map<String, String> environment, Optional<ClientCalls> calls, java.util.Deque<AutoCloseable> started) {
        Map<String, String> env = new HashMap<>(environment);
        int port = port(env.getOrDefault("DRIPLINE_PORT", "8080"));
        String bind = env.getOrDefault("DRIPLINE_BIND", "127.0.0.1");
        if (port == 0) {
            port = freePort();
        } else {
            requireFree(bind, port);
        }
        env.put("DRIPLINE_PORT", Integer.toString(port));
        env.putIfAbsent("DRIPLINE_PUBLIC_URL", "http://localhost:" + port);
        env.putIfAbsent("DRIPLINE_SIMULATOR_URL", "http://127.0.0.1:" + port + "/local/carrier");
        env.putIfAbsent("DRIPLINE_SIMULATOR_SECRET", randomToken(32));
        env.putIfAbsent("DRIPLINE_SUPPRESSION_SALT", suppressionSalt(Optional.ofNullable(env.get("DRIPLINE_DATA_DIR")).map(File::new)));
        // Codes live minutes: a new HMAC key per start loses nothing worth keeping.
        env.putIfAbsent("DRIPLINE_VERIFY_SECRET", randomToken(48));
        // Webhook endpoints on localhost (the tour's receiver, tests' stubs); on AWS the default refuses them.
        env.putIfAbsent("DRIPLINE_WEBHOOKS_ALLOW_PRIVATE", "true");
        String apiKey = env.getOrDefault("DRIPLINE_API_KEY", "");
        if (apiKey.isEmpty()) {
            apiKey = "dl_local_" + randomToken(32);
        } else if (apiKey.length() < 16) {
            throw new StartFailure("DRIPLINE_API_KEY has " + apiKey.length() + " characters; it needs at least 16 (or unset it: a key is"
                    + " generated and printed)");
        }

        long t0 = System.nanoTime();
        MovableClock clock = new MovableClock(Clock.systemUTC());
        Timeline timeline = new Timeline(clock);
        Settings early = Settings.from(env);
        Dripline.checkProviders(early);
        SimulatedCarrier carrier = new SimulatedCarrier(new SimulatedCarrier.Behaviour(
                Duration.ofMillis(Long.parseLong(env.getOrDefault("DRIPLINE_SIMULATOR_LATENCY_MS", "200"))),
                Double.parseDouble(env.getOrDefault("DRIPLINE_SIMULATOR_FAILURE_RATE", "0")),
                Boolean.parseBoolean(env.getOrDefault("DRIPLINE_SIMULATOR_OUT_OF_ORDER", "false")),
                env.getOrDefault("DRIPLINE_SIMULATOR_FROM", SenderSettings.DEFAULT_SIMULATOR_FROM)),
                clock, early.simulator().secret().reveal(), early.publicUrl(),
                Integer.parseInt(env.getOrDefault("DRIPLINE_SIMULATOR_RECEIPT_THREADS", "2")));
        started.push(carrier);

        // The HTTP side boots while the engines start (both take seconds, mostly class loading);
        // the core reaches the controllers through a supplier that waits for the engines.
        CompletableFuture<Dripline> core = new CompletableFuture<>();
        ApplicationContext http = ApplicationContext.builder()
                .banner(false)
                .deduceEnvironment(false)
                .properties(Map.of(
                        "micronaut.server.port", port,
                        "micronaut.server.host", bind,
                        // The import route's limit; BodyLimitFilter holds the other routes to theirs.
                        "micronaut.server.max-request-size", Long.toString(early.audience().importMaxBytes()),
                        "micronaut.server.max-request-buffer-size", Long.toString(early.audience().importMaxBytes()),
                        // Controllers block on DynamoDB, SQS and the carrier's own webhooks: never on the event loop.
                        "micronaut.server.thread-selection", "BLOCKING",
                        "micronaut.application.name", "dripline-local"))
                .singletons(ApiKeys.single("local", apiKey), clock, carrier, timeline)
                .build();
        started.push(http);
        http.registerBeanDefinition(RuntimeBeanDefinition.builder(Dripline.class, core::join).singleton(true).build());
        CompletableFuture<Void> httpStarted = CompletableFuture.runAsync(() -> {
            http.start();
            http.getBean(EmbeddedServer.class).start();
            LOG.info("HTTP up at {} ms", (System.nanoTime() - t0) / 1_000_000);
        });

        InProcessEngines engines;
        try {
            engines = InProcessEngines.start(Optional.ofNullable(env.get("DRIPLINE_DATA_DIR")).map(File::new), calls);
        } catch (RuntimeException e) {
            core.completeExceptionally(e); // the HTTP side's controllers stop waiting
            throw e;
        }
        started.push(engines);
        Map<String, String> queues = LocalQueues.create(engines.sqs(), "dripline-");
        env.put("DRIPLINE_SEND_QUEUE_URL", queues.get("send"));
        env.put("DRIPLINE_STEPS_QUEUE_URL", queues.get("steps"));
        env.put("DRIPLINE_IMPORTS_QUEUE_URL", queues.get("imports"));
        Settings settings = Settings.from(env);
        LOG.info("engines up in {} ms", (System.nanoTime() - t0) / 1_000_000);

        LocalScheduler scheduler = new LocalScheduler(clock, new SqsQueue(engines.sqs(), queues.get("steps")), Duration.ofMillis(200));
        var dynamo = Boolean.parseBoolean(env.getOrDefault("DRIPLINE_COUNT_DYNAMODB_CALLS", "false"))
                ? dev.dripline.local.bench.CountingDynamoDb.wrap(engines.dynamoDb()) : engines.dynamoDb();
        started.push(scheduler);
        Dripline dripline;
        try {
            // Delayed messages on the steps queue wait on the movable clock (QueueDelays), as schedules do.
            var sqs = QueueDelays.onTheMovableClock(engines.sqs(), queues.get("steps"), scheduler, clock);
            // Media under DRIPLINE_DATA_DIR/media (else memory), its fetch URLs signed with a key kept like the salt.
            byte[] mediaKey = settings.audience().salt().orElseGet(() -> randomToken(48)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.util.function.Supplier<dev.dripline.media.MediaStore> media = env.containsKey("DRIPLINE_DATA_DIR")
                    ? () -> dev.dripline.media.LocalMediaStore.inDirectory(new File(env.get("DRIPLINE_DATA_DIR"), "media").toPath(),
                    settings.publicUrl(), mediaKey, clock)
                    : () -> dev.dripline.media.LocalMediaStore.inMemory(settings.publicUrl(), mediaKey, clock);
            dripline = Dripline.builder(settings, dynamo).sqs(sqs).scheduler(scheduler).clock(clock).media(media).build();
            dripline.createTables();
            // A provider named without its credentials or sender fails here, before anything is served.
            new SenderHandler(dripline);
        } catch (RuntimeException e) {
            core.completeExceptionally(e);
            throw e;
        }
        core.complete(dripline);
        LOG.info("tables ready at {} ms", (System.nanoTime() - t0) / 1_000_000);
        httpStarted.join();
        if (env.containsKey("DRIPLINE_DATA_DIR")) {
            CrashRecovery.recover(dripline, carrier, new File(env.get("DRIPLINE_DATA_DIR")).toPath(),
                    env.getOrDefault("DRIPLINE_PROVIDERS", "simulator").trim().equals("simulator"));
        }

        int senderConcurrency = Integer.parseInt(env.getOrDefault("DRIPLINE_SENDER_CONCURRENCY", "4"));
        QueuePoller sendPoller = new QueuePoller(engines.sqs(), queues.get("send"), "sender", new SenderHandler(dripline), senderConcurrency);
        started.push(sendPoller);
        QueuePoller stepsPoller = new QueuePoller(engines.sqs(), queues.get("steps"), "steps", new StepsHandler(dripline),
                Integer.parseInt(env.getOrDefault("DRIPLINE_STEPS_CONCURRENCY", "2")));
        started.push(stepsPoller);
        int importsConcurrency = Integer.parseInt(env.getOrDefault("DRIPLINE_IMPORTS_CONCURRENCY", "2"));
        QueuePoller importsPoller = new QueuePoller(engines.sqs(), queues.get("imports"), "imports", new ImportsHandler(dripline),
                importsConcurrency);
        started.push(importsPoller);
        timeline.attach(scheduler, () -> stepsPoller.settled() && (!sendPoller.consuming() || sendPoller.settled()));
        return new LocalRuntime(engines, scheduler, carrier, sendPoller, stepsPoller, importsPoller, http, clock, dripline,
                URI.create("http://localhost:" + port), apiKey, queues);
    }

    /**
     * The suppression list's salt when DRIPLINE_SUPPRESSION_SALT is not set: with a data
     * directory, generated once and kept in {@code suppression-salt} there (so that erased numbers
     * stay recognisable across restarts); in memory, a new one per start (the data goes too).
     */
    static String suppressionSalt(Optional<File> dataDir) {
        if (dataDir.isEmpty()) {
            return randomToken(48);
        }
        java.nio.file.Path file = dataDir.get().toPath().resolve("suppression-salt");
        try {
            if (java.nio.file.Files.exists(file)) {
                return java.nio.file.Files.readString(file).trim();
            }
            java.nio.file.Files.createDirectories(file.getParent());
            String salt = randomToken(48);
            java.nio.file.Files.writeString(file, salt);
            try {
                java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the directory's own permissions protect it.
            }
            return salt;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the suppression salt in " + file, e);
        }
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartFailure("DRIPLINE_PORT must be a port number from 0 to 65535 (0 picks a free one), not '" + value + "'");
    }

    /** Fails the start before anything is started when another process has the port. */
    private static void requireFree(String bind, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new StartFailure("port " + port + " is taken: set DRIPLINE_PORT to a free port (0 picks one)");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomToken(int length) {
        char[] alphabet = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    public URI url() {
        return url;
    }

    public String apiKey() {
        return apiKey;
    }

    public MovableClock clock() {
        return clock;
    }

    public Dripline dripline() {
        return dripline;
    }

    public SimulatedCarrier carrier() {
        return carrier;
    }

    /** The send queue's poller (the sender function). */
    public QueuePoller senderPoller() {
        return sendPoller;
    }

    /** The steps queue's poller (the steps function). */
    public QueuePoller stepsPoller() {
        return stepsPoller;
    }

    public LocalScheduler scheduler() {
        return scheduler;
    }

    public InProcessEngines engines() {
        return engines;
    }

    /**
     * Waits until nothing is left to do now: what the stand-in scheduler has due on the movable
     * clock is put on the steps queue, then the send, steps and imports queues have no visible and
     * no in-flight message. For checks that nothing (more) arrives, instead of a fixed sleep.
     *
     * @throws IllegalStateException naming the busy queues when {@code within} passes first
     */
    public void awaitSettled(Duration within) {
        scheduler.fireDue();
        engines.awaitSettled(within, java.util.List.of(queueUrls.get("send"), queueUrls.get("steps"), queueUrls.get("imports")));
    }

    /** Queue URLs by short name: send, send-dlq, steps, steps-dlq, imports, imports-dlq. */
    public Map<String, String> queueUrls() {
        return queueUrls;
    }

    @Override
    public void close() {
        sendPoller.close();
        stepsPoller.close();
        importsPoller.close();
        scheduler.close();
        carrier.close();
        http.close();
        engines.close();
    }
}
