package dev.dripline.webhooks.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Refused;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.receipts.DeliveryReceipt;
import dev.dripline.webhooks.Form;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TwilioCallbacksTest {

    // The official vectors of twilio-java's RequestValidatorTest.
    private static final String TOKEN = "12345";
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final Form PARAMS = Form.parse("Digits=1234&CallSid=CA1234567890ABCDE&To=%2B18005551212"
            + "&Caller=%2B14158675309&From=%2B14158675309");

    @Test
    void theOfficialVectorsSign() {
        assertThat(TwilioSignature.compute(TOKEN, URL, PARAMS)).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(TwilioSignature.compute(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS))
                .isEqualTo("kvajT1Ptam85bY51eRf/AJRuM3w=");
    }

    @Test
    void aSignatureOverTheUrlWithOrWithoutTheDefaultPortIsAccepted() {
        assertThat(TwilioSignature.verify(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL, PARAMS)).isTrue();
        assertThat(TwilioSignature.verify(TOKEN, "kvajT1Ptam85bY51eRf/AJRuM3w=", URL, PARAMS)).isTrue();
        assertThat(TwilioSignature.verify(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                PARAMS)).isTrue();
    }

    @Test
    void anyChangeToTheUrlFieldsTokenOrSignatureIsRefused() {
        String good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        assertThat(TwilioSignature.verify(TOKEN, good, URL.replace("foo=1", "foo=2"), PARAMS)).isFalse();
        assertThat(TwilioSignature.verify(TOKEN, good, URL, Form.parse("Digits=1235&CallSid=CA1234567890ABCDE&To=%2B18005551212"
                + "&Caller=%2B14158675309&From=%2B14158675309"))).isFalse();
        assertThat(TwilioSignature.verify("54321", good, URL, PARAMS)).isFalse();
        assertThat(TwilioSignature.verify(TOKEN, null, URL, PARAMS)).isFalse();
        assertThat(TwilioSignature.verify(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8", URL, PARAMS)).isFalse();
    }

    @Test
    void withoutAnAuthTokenEverythingIsRefused() {
        TwilioCallbacks unconfigured = new TwilioCallbacks(Optional.empty());
        assertThatThrownBy(() -> unconfigured.verified(URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "Digits=1234"))
                .isInstanceOf(Refused.class);
    }

    @Test
    void inboundMapsToAnInboundSms() {
        Form form = Form.parse("MessageSid=SM123&AccountSid=AC1&From=%2B14155550100&To=%2B18335550100&Body=Stop%21&NumMedia=0");
        var sms = TwilioCallbacks.inbound(form, Instant.EPOCH);
        assertThat(sms.provider()).isEqualTo("twilio");
        assertThat(sms.providerMessageId()).isEqualTo("SM123");
        assertThat(sms.from()).isEqualTo("+14155550100");
        assertThat(sms.body()).isEqualTo("Stop!");
        assertThatThrownBy(() -> TwilioCallbacks.inbound(Form.parse("From=%2B14155550100"), Instant.EPOCH))
                .isInstanceOf(InvalidInput.class);
    }

    @Test
    void statusesMapToTheOneModelAndKeepTheErrorCode() {
        DeliveryReceipt r = TwilioCallbacks.receipt("msg_1", Form.parse("MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30003"),
                Instant.EPOCH).orElseThrow();
        assertThat(r.status()).isEqualTo(MessageStatus.UNDELIVERED);
        assertThat(r.errorCode()).isEqualTo("30003");
        assertThat(r.recipientOptedOut()).isFalse();
        assertThat(r.reportKey()).isEqualTo("SM1:undelivered");
        assertThat(TwilioCallbacks.receipt("m", Form.parse("MessageSid=SM1&MessageStatus=sending"), Instant.EPOCH).orElseThrow()
                .status()).isEqualTo(MessageStatus.SENT);
        assertThat(TwilioCallbacks.receipt("m", Form.parse("MessageSid=SM1&MessageStatus=read"), Instant.EPOCH).orElseThrow()
                .status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(TwilioCallbacks.receipt("m", Form.parse("MessageSid=SM1&MessageStatus=partially_delivered"), Instant.EPOCH)).isEmpty();
    }

    @Test
    void error21610IsAnOptOut() {
        assertThat(TwilioCallbacks.receipt("m", Form.parse("MessageSid=SM1&MessageStatus=failed&ErrorCode=21610"), Instant.EPOCH)
                .orElseThrow().recipientOptedOut()).isTrue();
    }

    // --- issue 14: what Twilio's helper libraries accept ------------------------------------------

    @Test
    void aUrlWithAnyPortIsCheckedWithThePortRemovedAsTwiliosLibrariesDo() {
        // twilio-python's RequestValidator removes whatever port the URL has before signing.
        assertThat(TwilioSignature.verify(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
                PARAMS)).isTrue();
        assertThat(TwilioSignature.verify(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "https://mycompany.com:1234/myapp.php?foo=1&bar=3",
                PARAMS)).isFalse();
    }

    @Test
    void aFieldSentTwiceIsSignedWithItsDistinctValuesSorted() throws Exception {
        Form repeated = Form.parse("MediaUrl0=https%3A%2F%2Fm%2Fb&Body=hi&MediaUrl0=https%3A%2F%2Fm%2Fa&MediaUrl0=https%3A%2F%2Fm%2Fb");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
        String signed = java.util.Base64.getEncoder().encodeToString(mac.doFinal(
                (URL + "Bodyhi" + "MediaUrl0https://m/a" + "MediaUrl0https://m/b").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(TwilioSignature.verify(TOKEN, signed, URL, repeated)).isTrue();
        assertThat(TwilioSignature.verify(TOKEN, signed, URL, Form.parse("Body=hi&MediaUrl0=https%3A%2F%2Fm%2Fa"))).isFalse();
    }

    @Test
    void aGetWebhookIsSignedOverTheUrlWithItsQueryAndNoFields() {
        TwilioCallbacks callbacks = new TwilioCallbacks(Optional.of(TOKEN));
        String url = "https://dripline.example/webhooks/twilio/status?m=msg_1&MessageSid=SM1&MessageStatus=delivered&To=%2B14155550100";
        String signature = TwilioSignature.compute(TOKEN, url, Form.of(java.util.List.of()));
        Form fields = callbacks.verifiedGet(url, signature);
        assertThat(fields.first("MessageStatus")).contains("delivered");
        assertThat(fields.first("To")).contains("+14155550100");
        assertThatThrownBy(() -> callbacks.verifiedGet(url.replace("delivered", "failed"), signature)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> callbacks.verifiedGet(url, null)).isInstanceOf(Refused.class);
    }
}
