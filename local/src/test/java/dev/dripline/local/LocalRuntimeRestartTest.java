package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.OneOffMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With DRIPLINE_DATA_DIR the local runtime keeps its data across a restart, and nothing accepted is lost. */
class LocalRuntimeRestartTest {

    @Test
    void aMessageScheduledBeforeARestartIsStillSentAfterIt(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("DRIPLINE_PORT", "0", "DRIPLINE_DATA_DIR", dataDir.toString(),
                "DRIPLINE_SIMULATOR_LATENCY_MS", "20");
        String id;
        try (LocalRuntime before = LocalRuntime.start(env)) {
            Instant sendAt = before.clock().instant().plus(Duration.ofHours(1));
            id = before.dripline().messages()
                    .submit(new OneOffMessage("+14155550195", null, "Tomorrow at 10", "transactional", null, sendAt), "test").id();
        }
        try (LocalRuntime after = LocalRuntime.start(env)) {
            assertThat(after.dripline().messages().get(id)).map(Message::status).contains(MessageStatus.ACCEPTED);
            after.clock().advance(Duration.ofHours(1));
            Instant deadline = Instant.now().plusSeconds(10);
            while (after.dripline().messages().get(id).orElseThrow().status() != MessageStatus.DELIVERED && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(after.dripline().messages().get(id).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
            assertThat(after.carrier().messages("+14155550195")).extracting(SimulatedCarrier.HandsetMessage::body)
                    .containsExactly("Tomorrow at 10");
        }
    }
}
