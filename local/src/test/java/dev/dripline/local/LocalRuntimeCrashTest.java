package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.local.faults.CrashDrill;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast part of {@code crash-test}: the runtime in a child JVM, SIGKILLed once the first page
 * of a 250-recipient broadcast is queued (a second page is still to come), and started again on
 * the same data directory: everyone gets it once, and every message ends with a final status.
 */
class LocalRuntimeCrashTest {

    @Test
    void aBroadcastKilledDuringItsFanOutReachesEveryRecipientExactlyOnce(@TempDir Path dir) throws Exception {
        CrashDrill.Outcome outcome = new CrashDrill(dir, Duration.ofSeconds(45)).killDuringFanOut(250);
        assertThat(outcome.accepted()).isEqualTo(250);
        assertThat(outcome.doubled()).as("doubled").isZero();
        assertThat(outcome.lost()).as("lost").isZero();
        assertThat(outcome.stuck()).as("stuck without a final status").isZero();
        assertThat(outcome.delivered()).isEqualTo(250);
    }
}
