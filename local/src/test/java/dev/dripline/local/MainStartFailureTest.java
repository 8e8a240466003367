package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar dripline-local.jar} with a setting it cannot start with: it ends (the JVM
 * does not keep running on the engines' threads) with exit code 1 and one line on stderr that
 * names the variable and what to do, without a stack trace.
 */
class MainStartFailureTest {

    @TempDir
    Path dir;

    private record Ended(int exitCode, List<String> stderr) {
    }

    private Ended run(Map<String, String> env) throws Exception {
        File err = dir.resolve("stderr").toFile();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectError(err).redirectOutput(dir.resolve("stdout").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DRIPLINE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("the JVM ended by itself").isTrue();
        return new Ended(p.exitValue(), Files.readAllLines(err.toPath(), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList());
    }

    @Test
    void aTakenPortEndsTheRuntimeWithOneLineNamingDriplinePort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            Ended ended = run(Map.of("DRIPLINE_PORT", Integer.toString(port)));

            assertThat(ended.exitCode()).isEqualTo(1);
            assertThat(ended.stderr()).containsExactly(
                    "dripline: cannot start: port " + port + " is taken: set DRIPLINE_PORT to a free port (0 picks one)");
        }
    }

    @Test
    void aProviderWithoutItsSenderEndsTheRuntimeNamingTheVariables() throws Exception {
        Ended ended = run(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_PROVIDERS", "twilio",
                "DRIPLINE_TWILIO_ACCOUNT_SID", "AC0123", "DRIPLINE_TWILIO_AUTH_TOKEN", "tok"));

        assertThat(ended.exitCode()).isEqualTo(1);
        assertThat(ended.stderr()).singleElement().asString()
                .startsWith("dripline: cannot start: DRIPLINE_PROVIDERS names twilio but DRIPLINE_TWILIO_FROM or"
                        + " DRIPLINE_TWILIO_MESSAGING_SERVICE_SID");
    }

    @Test
    void aShortApiKeyEndsTheRuntimeSayingHowLongItMustBe() throws Exception {
        Ended ended = run(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_API_KEY", "short"));

        assertThat(ended.exitCode()).isEqualTo(1);
        assertThat(ended.stderr()).containsExactly(
                "dripline: cannot start: DRIPLINE_API_KEY has 5 characters; it needs at least 16 (or unset it: a key is generated and printed)");
    }
}
