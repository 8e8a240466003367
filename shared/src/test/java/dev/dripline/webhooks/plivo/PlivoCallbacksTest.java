package dev.dripline.webhooks.plivo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.errors.Refused;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.Hmac;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlivoCallbacksTest {

    private static final String TOKEN = "plivo-auth-token";
    private final PlivoCallbacks plivo = new PlivoCallbacks(Optional.of(TOKEN));

    @Test
    void theSignedStringIsBuiltAsPlivoDocumentsIt() {
        Form body = Form.parse("To=18335550100&From=14155550100&Text=hi&MessageUUID=u-1");
        assertThat(PlivoCallbacks.signedUrl("https://example.com:8443/webhooks/plivo/inbound", body))
                .isEqualTo("https://example.com:8443/webhooks/plivo/inbound?From14155550100MessageUUIDu-1TexthiTo18335550100");
        assertThat(PlivoCallbacks.signedUrl("https://example.com/webhooks/plivo/status?m=msg_1&a=b", body))
                .isEqualTo("https://example.com/webhooks/plivo/status?a=b&m=msg_1.From14155550100MessageUUIDu-1TexthiTo18335550100");
        String expected = Base64.getEncoder().encodeToString(Hmac.of("HmacSHA256", TOKEN,
                "https://example.com/webhooks/plivo/status?a=b&m=msg_1.From14155550100MessageUUIDu-1TexthiTo18335550100.12345"));
        assertThat(PlivoCallbacks.sign(TOKEN, "https://example.com/webhooks/plivo/status?m=msg_1&a=b", "12345", body)).isEqualTo(expected);
    }

    @Test
    void anyOfSeveralSignaturesMayMatchAndAnythingElseIsRefused() {
        String raw = "To=18335550100&From=14155550100&Text=STOP&MessageUUID=u-1";
        String url = "https://example.com/webhooks/plivo/inbound";
        String good = PlivoCallbacks.sign(TOKEN, url, "n1", Form.parse(raw));
        Form form = plivo.verified(url, "bm90LWl0," + good, "n1", raw);
        var sms = PlivoCallbacks.inbound(form, Instant.EPOCH);
        assertThat(sms.from()).isEqualTo("+14155550100");
        assertThat(sms.body()).isEqualTo("STOP");
        assertThatThrownBy(() -> plivo.verified(url, good, "n2", raw)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> plivo.verified(url + "x", good, "n1", raw)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> plivo.verified(url, good, "n1", raw.replace("STOP", "START"))).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> plivo.verified(url, null, "n1", raw)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> new PlivoCallbacks(Optional.empty()).verified(url, good, "n1", raw)).isInstanceOf(Refused.class);
    }

    @Test
    void statusesMapAndDndIsAnOptOut() {
        var r = PlivoCallbacks.receipt("msg_1", Form.parse("MessageUUID=u-1&Status=failed&ErrorCode=200"), Instant.EPOCH).orElseThrow();
        assertThat(r.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(r.recipientOptedOut()).isTrue();
        assertThat(PlivoCallbacks.receipt("m", Form.parse("MessageUUID=u-1&Status=delivered"), Instant.EPOCH).orElseThrow().status())
                .isEqualTo(MessageStatus.DELIVERED);
    }
}
