package dev.dripline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.local.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCeilingTest {

    @Test
    void fractionalCallsPerMessageAreSpreadSoEveryRunOfMessagesMakesTheCountedTotal() {
        Map<String, Double> shape = Map.of("DynamoDB.UpdateItem", 6.1, "Sqs.SendMessage", 0.7);
        long updates = IntStream.range(0, 1_000).mapToLong(i -> EngineCeiling.times(shape, "DYNAMODB.UPDATEITEM", i)).sum();
        long sends = IntStream.range(0, 10).mapToLong(i -> EngineCeiling.times(shape, "SQS.SENDMESSAGE", i)).sum();
        assertThat(updates).isEqualTo(6_100);
        assertThat(sends).isEqualTo(7);
        assertThat(IntStream.range(0, 100).mapToLong(i -> EngineCeiling.times(shape, "DYNAMODB.UPDATEITEM", i)).min().orElseThrow())
                .isEqualTo(6);
    }

    @Test
    void theShapeOfACountedRunKeepsDynamoDbCallsAndSendsPerMessageNotThePollersReceives() {
        Map<String, Double> shape = EngineCeiling.shape(Map.of("DynamoDB.GetItem", 400L, "Sqs.SendMessage", 100L,
                "Sqs.ReceiveMessage", 900L, "Sqs.DeleteMessage", 70L, "DynamoDB.Query", 0L), 100);
        assertThat(shape).containsOnly(Map.entry("DynamoDB.GetItem", 4.0), Map.entry("Sqs.SendMessage", 1.0));
    }

    @Test
    void broadcastRecipientsAreGivenAZoneWhereItIsDaytimeAtAnyHour() {
        Instant day = Instant.parse("2026-12-03T00:00:00Z");
        for (int h = 0; h < 24; h++) {
            Instant now = day.plusSeconds(3_600L * h + 1_234);
            int hour = ZonedDateTime.ofInstant(now, ZoneId.of(BroadcastBench.daytimeZone(now))).getHour();
            assertThat(hour).as("local hour at %s", now).isBetween(11, 17);
        }
    }

    @Test
    void engineCeilingEndsByItselfAndPrintsItsCeiling(@TempDir Path dir) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "engine-ceiling", "200")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(ended).as("engine-ceiling ended within 180 s; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("200 messages in [0-9.]+ s").contains("ceiling: **");
    }
}
