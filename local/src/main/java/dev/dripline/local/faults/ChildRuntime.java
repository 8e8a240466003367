package dev.dripline.local.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The local runtime as a separate JVM on a data directory, as an operator runs it, so that it
 * can be killed the hard way: {@link Process#destroyForcibly()} is SIGKILL on Linux (no
 * shutdown hook, no flush, no close).
 */
final class ChildRuntime {

    static final String KEY = "dl_local_crashdrill0000000000000000000000";

    private final Process process;
    private final URI url;

    // Ready: the API answers (404 for a broadcast that does not exist means the core is up).
    private ChildRuntime(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /** Starts the runtime on {@code dataDir} and waits until its API answers; its output goes to {@code log}. */
    static ChildRuntime start(Path dataDir, Path log, Map<String, String> extraEnv) {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx768m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.dripline.local.Main"));
        pb.environment().put("DRIPLINE_DATA_DIR", dataDir.toString());
        pb.environment().put("DRIPLINE_PORT", Integer.toString(port));
        pb.environment().put("DRIPLINE_API_KEY", KEY);
        pb.environment().put("DRIPLINE_SIMULATOR_LATENCY_MS", "50");
        // The drill creates its audience through the API faster than a key's default rate allows.
        pb.environment().put("DRIPLINE_API_RATE", "10000");
        pb.environment().put("DRIPLINE_API_BURST", "10000");
        pb.environment().putAll(extraEnv);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the runtime", e);
        }
        ChildRuntime child = new ChildRuntime(process, URI.create("http://127.0.0.1:" + port));
        // A drill stopped half-way leaves no runtime behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "crash-drill-child"));
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the runtime exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(child.url.resolve("/v1/broadcasts/bc_none"))
                        .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 404) {
                    return child;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the runtime did not answer within 120 s; see " + log);
    }

    URI url() {
        return url;
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (the shutdown hook closes the engines), then SIGKILL if it lingers. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
