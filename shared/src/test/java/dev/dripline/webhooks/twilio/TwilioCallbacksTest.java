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
}
