package dev.dripline.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulatorSignatureTest {

    private static final String SECRET = "s3cret-s3cret-s3cret";
    private static final String URL = "https://sms.example.com/webhooks/simulator/status?m=msg_1";
    private static final String BODY = "{\"id\":\"sim_1\",\"status\":\"delivered\"}";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aSignatureMadeWithTheSecretOverUrlAndBodyVerifies() {
        String header = SimulatorSignature.sign(SECRET, NOW, URL, BODY);
        assertThat(SimulatorSignature.verify(SECRET, header, URL, BODY, NOW.plusSeconds(30))).isTrue();
    }

    @Test
    void aTamperedBodyAnotherUrlOrAnotherSecretFails() {
        String header = SimulatorSignature.sign(SECRET, NOW, URL, BODY);
        assertThat(SimulatorSignature.verify(SECRET, header, URL, BODY.replace("delivered", "failed"), NOW)).isFalse();
        assertThat(SimulatorSignature.verify(SECRET, header, URL.replace("msg_1", "msg_2"), BODY, NOW)).isFalse();
        assertThat(SimulatorSignature.verify("another-secret-xx", header, URL, BODY, NOW)).isFalse();
    }

    @Test
    void aSignatureOlderThanFiveMinutesIsAReplay() {
        String header = SimulatorSignature.sign(SECRET, NOW, URL, BODY);
        assertThat(SimulatorSignature.verify(SECRET, header, URL, BODY, NOW.plusSeconds(301))).isFalse();
        assertThat(SimulatorSignature.verify(SECRET, header, URL, BODY, NOW.minusSeconds(301))).isFalse();
    }

    @Test
    void missingOrMalformedHeadersFail() {
        assertThat(SimulatorSignature.verify(SECRET, null, URL, BODY, NOW)).isFalse();
        assertThat(SimulatorSignature.verify(SECRET, "", URL, BODY, NOW)).isFalse();
        assertThat(SimulatorSignature.verify(SECRET, "t=abc,v1=00", URL, BODY, NOW)).isFalse();
        assertThat(SimulatorSignature.verify(SECRET, "t=" + NOW.getEpochSecond() + ",v1=zz", URL, BODY, NOW)).isFalse();
        // With no secret configured nothing verifies, not even a signature made with some other secret.
        assertThat(SimulatorSignature.verify("", SimulatorSignature.sign(SECRET, NOW, URL, BODY), URL, BODY, NOW)).isFalse();
    }
}
