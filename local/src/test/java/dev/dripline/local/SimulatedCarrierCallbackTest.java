package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 14: the simulated carrier posts signed receipts only to the runtime's own status webhook. */
class SimulatedCarrierCallbackTest {

    private final SimulatedCarrier carrier = new SimulatedCarrier(
            new SimulatedCarrier.Behaviour(Duration.ofMillis(10), 0, false, "+18335550100"),
            new MovableClock(Clock.systemUTC()), "secret", URI.create("http://localhost:8080"), 1);

    @Test
    void onlyTheRuntimesOwnStatusWebhookIsACallback() {
        assertThat(carrier.ownStatusWebhook(URI.create("http://localhost:8080/webhooks/simulator/status?m=msg_1"))).isTrue();
        assertThat(carrier.ownStatusWebhook(URI.create("http://LOCALHOST:8080/webhooks/simulator/status"))).isTrue();

        assertThat(carrier.ownStatusWebhook(URI.create("http://169.254.169.254/latest/meta-data?m=msg_1"))).isFalse();
        assertThat(carrier.ownStatusWebhook(URI.create("http://localhost:9090/webhooks/simulator/status?m=msg_1"))).isFalse();
        assertThat(carrier.ownStatusWebhook(URI.create("http://localhost:8080/v1/contacts?m=msg_1"))).isFalse();
        assertThat(carrier.ownStatusWebhook(URI.create("http://localhost:8080/webhooks/simulator/status/../../v1/x"))).isFalse();
        assertThat(carrier.ownStatusWebhook(URI.create("http://evil@localhost:8080/webhooks/simulator/status"))).isFalse();
        assertThat(carrier.ownStatusWebhook(URI.create("https://localhost:8080/webhooks/simulator/status"))).isFalse();
        assertThat(carrier.ownStatusWebhook(URI.create("/webhooks/simulator/status"))).isFalse();
        carrier.close();
    }
}
