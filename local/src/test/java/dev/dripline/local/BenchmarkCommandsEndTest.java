package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark command ends by itself once its work is done, also when the work fails after the
 * engines started: DynamoDB Local's server leaves a non-daemon thread behind that used to keep
 * the JVM alive forever after the last line was printed (seen with cold-start).
 */
class BenchmarkCommandsEndTest {

    @Test
    void coldStartEndsAfterItsEnginesStartedEvenWhenAFunctionFails(@TempDir Path dir) throws Exception {
        // Jars that exist but hold nothing: the engines start, the first function cannot, the command fails.
        for (String f : new String[] {"steps", "sender", "api", "webhooks"}) {
            Path jar = dir.resolve("functions/" + f + "/target/dripline-" + f + "-0.1.0-SNAPSHOT-lambda.jar");
            Files.createDirectories(jar.getParent());
            Files.write(jar, new byte[0]);
        }
        Files.createDirectories(dir.resolve("events"));
        try (var events = Files.list(Path.of("../events"))) {
            for (Path e : events.toList()) {
                Files.copy(e, dir.resolve("events").resolve(e.getFileName()));
            }
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "cold-start", "1")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(ended).as("cold-start ended within 120 s; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("a failed benchmark exits non-zero").isEqualTo(1);
        assertThat(output).contains("steps did not handle its event");
    }
}
