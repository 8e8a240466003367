package dev.dripline.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VonageProviderTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @RegisterExtension
    final ProviderStub vonage = ProviderStub.start();

    private VonageProvider provider(URI base) {
        return new VonageProvider(http, new VonageSettings("abcd1234", "vonage-secret", "+447700900001", base),
                Duration.ofMillis(500));
    }

    private SendOutcome send(String body) {
        return provider(vonage.url()).send(new OutboundSms("msg_7", null, "+447700900000", body,
                URI.create("https://dripline.example/webhooks/vonage/status?m=msg_7")));
    }

    @Test
    void postsTheFormWithKeyAndSecretAndOurIdAsClientRef() {
        vonage.answer(200, """
                {"message-count":"2","messages":[
                 {"to":"447700900000","message-id":"0A0000000123ABCD1","status":"0","remaining-balance":"3.14159265",
                  "message-price":"0.03330000","network":"12345","client-ref":"msg_7"},
                 {"to":"447700900000","message-id":"0A0000000123ABCD2","status":"0","remaining-balance":"3.10829265",
                  "message-price":"0.03330000","network":"12345","client-ref":"msg_7"}]}""");
        assertThat(send("Hello")).isEqualTo(new SendOutcome.Accepted("0A0000000123ABCD1", 2, new BigDecimal("0.06660000")));

        ProviderStub.Seen request = vonage.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/sms/json");
        assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.form()).containsEntry("api_key", "abcd1234").containsEntry("api_secret", "vonage-secret")
                .containsEntry("from", "447700900001").containsEntry("to", "447700900000").containsEntry("text", "Hello")
                .containsEntry("type", "text").containsEntry("client-ref", "msg_7")
                .containsEntry("callback", "https://dripline.example/webhooks/vonage/status?m=msg_7");
    }

    @Test
    void textOutsideGsm7GoesAsUnicode() {
        vonage.answer(200, "{\"message-count\":\"1\",\"messages\":[{\"message-id\":\"id1\",\"status\":\"0\"}]}");
        send("您好 😀");
        assertThat(vonage.only().form()).containsEntry("type", "unicode");
    }

    @Test
    void aThrottledAnswerIsRetryable() {
        vonage.answer(200, "{\"message-count\":\"1\",\"messages\":[{\"status\":\"1\",\"error-text\":\"Throughput Rate Exceeded\"}]}");
        assertThat(send("Hello")).isInstanceOf(SendOutcome.Retryable.class);
    }

    @Test
    void aBarredNumberIsAnOptOut() {
        vonage.answer(200, "{\"message-count\":\"1\",\"messages\":[{\"status\":\"7\",\"error-text\":\"Number barred.\"}]}");
        assertThat(send("Hello")).isEqualTo(new SendOutcome.Permanent("7", "Number barred.", true));
    }

    @Test
    void otherErrorsArePermanent() {
        vonage.answer(200, "{\"message-count\":\"1\",\"messages\":[{\"status\":\"3\",\"error-text\":\"Invalid to address\"}]}");
        assertThat(send("Hello")).isEqualTo(new SendOutcome.Permanent("3", "Invalid to address", false));
    }

    @Test
    void onceAnyPartWentOutTheMessageIsAcceptedSoItIsNeverResent() {
        vonage.answer(200, """
                {"message-count":"2","messages":[{"message-id":"p1","status":"0","message-price":"0.03"},
                 {"status":"1","error-text":"Throughput Rate Exceeded"}]}""");
        assertThat(send("Hello")).isEqualTo(new SendOutcome.Accepted("p1", 2, new BigDecimal("0.03")));
    }

    @Test
    void anInternalErrorIsUnknownAndAServerErrorToo() {
        vonage.answer(200, "{\"message-count\":\"1\",\"messages\":[{\"status\":\"5\",\"error-text\":\"Internal Error\"}]}")
                .answer(500, "");
        assertThat(send("Hello")).isInstanceOf(SendOutcome.Unknown.class);
        assertThat(send("Hello")).isInstanceOf(SendOutcome.Unknown.class);
    }

}
