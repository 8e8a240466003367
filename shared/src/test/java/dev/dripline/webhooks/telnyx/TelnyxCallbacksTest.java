package dev.dripline.webhooks.telnyx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.Refused;
import dev.dripline.messaging.MessageStatus;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelnyxCallbacksTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String RECEIVED = "{\"data\":{\"event_type\":\"message.received\",\"id\":\"ev-1\","
            + "\"occurred_at\":\"2026-03-01T11:59:58.000+00:00\",\"payload\":{\"id\":\"tx-msg-1\",\"text\":\"STOP\","
            + "\"from\":{\"phone_number\":\"+14155550100\"},\"to\":[{\"phone_number\":\"+18335550100\"}]}},\"meta\":{\"attempt\":1}}";

    private final KeyPair keys;
    private final TelnyxCallbacks telnyx;

    TelnyxCallbacksTest() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = keys.getPublic().getEncoded();
        String raw = Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        telnyx = new TelnyxCallbacks(Optional.of(raw));
    }

    private String sign(String timestamp, String body) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update((timestamp + "|" + body).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    @Test
    void aSignedReceivedEventBecomesAnInboundSms() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        JsonNode data = telnyx.verified(sign(ts, RECEIVED), ts, RECEIVED, NOW);
        var sms = TelnyxCallbacks.inbound(data, NOW).orElseThrow();
        assertThat(sms.providerMessageId()).isEqualTo("tx-msg-1");
        assertThat(sms.from()).isEqualTo("+14155550100");
        assertThat(sms.to()).isEqualTo("+18335550100");
        assertThat(sms.body()).isEqualTo("STOP");
        assertThat(sms.receivedAt()).isEqualTo(Instant.parse("2026-03-01T11:59:58Z"));
    }

    @Test
    void tamperedStaleUnsignedOrUnconfiguredIsRefused() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        String sig = sign(ts, RECEIVED);
        assertThatThrownBy(() -> telnyx.verified(sig, ts, RECEIVED.replace("STOP", "START"), NOW)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> telnyx.verified(sig, ts, RECEIVED, NOW.plusSeconds(301))).isInstanceOf(Refused.class);
        String old = Long.toString(NOW.minusSeconds(400).getEpochSecond());
        assertThatThrownBy(() -> telnyx.verified(sign(old, RECEIVED), old, RECEIVED, NOW)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> telnyx.verified(null, ts, RECEIVED, NOW)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> telnyx.verified("not base64!", ts, RECEIVED, NOW)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> new TelnyxCallbacks(Optional.empty()).verified(sig, ts, RECEIVED, NOW)).isInstanceOf(Refused.class);
        assertThat(telnyx.verified(sig, ts, RECEIVED, NOW.plusSeconds(299))).isNotNull();
    }

    @Test
    void finalizedEventsMapToTheModelAnd40300IsAnOptOut() throws Exception {
        String body = "{\"data\":{\"event_type\":\"message.finalized\",\"id\":\"ev-9\",\"payload\":{\"id\":\"tx-2\","
                + "\"to\":[{\"phone_number\":\"+14155550100\",\"status\":\"delivery_failed\"}],\"errors\":[{\"code\":\"40300\"}]}}}";
        String ts = Long.toString(NOW.getEpochSecond());
        var r = TelnyxCallbacks.receipt("msg_1", telnyx.verified(sign(ts, body), ts, body, NOW), NOW).orElseThrow();
        assertThat(r.status()).isEqualTo(MessageStatus.UNDELIVERED);
        assertThat(r.errorCode()).isEqualTo("40300");
        assertThat(r.recipientOptedOut()).isTrue();
        assertThat(r.reportKey()).isEqualTo("ev-9");
    }
}
