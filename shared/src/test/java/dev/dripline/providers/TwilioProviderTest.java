package dev.dripline.providers;

import dev.dripline.config.Secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TwilioProviderTest {

    static final OutboundSms SMS = new OutboundSms("msg_1", null, "+14155550100", "Your code is 123456 – thanks",
            URI.create("https://dripline.example/webhooks/twilio/status?m=msg_1"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @RegisterExtension
    final ProviderStub twilio = ProviderStub.start();

    private TwilioProvider provider(URI base) {
        return new TwilioProvider(http, new TwilioSettings("AC123", "secret-token", "+15005550006", base), Duration.ofMillis(500));
    }

    private SendOutcome send() {
        return provider(twilio.url()).send(SMS);
    }

    @Test
    void postsTheFormToTheAccountsMessagesResourceWithBasicAuth() {
        twilio.answer(201, """
                {"sid":"SM0123456789abcdef0123456789abcdef","status":"queued","num_segments":"2","price":"-0.01580",
                 "error_code":null,"error_message":null}""");
        assertThat(send()).isEqualTo(new SendOutcome.Accepted("SM0123456789abcdef0123456789abcdef", 2, new BigDecimal("0.01580")));

        ProviderStub.Seen request = twilio.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/AC123/Messages.json");
        assertThat(request.header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("AC123:secret-token".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.form()).containsEntry("To", "+14155550100").containsEntry("From", "+15005550006")
                .containsEntry("Body", "Your code is 123456 – thanks")
                .containsEntry("StatusCallback", "https://dripline.example/webhooks/twilio/status?m=msg_1");
    }

    @Test
    void withAMessagingServiceTwilioPicksTheSenderFromItsPool() {
        twilio.answer(201, "{\"sid\":\"SM1\",\"num_segments\":\"1\",\"price\":null}");
        TwilioProvider service = new TwilioProvider(http,
                new TwilioSettings("AC123", Secret.of("secret-token"), null, "MG0123456789abcdef0123456789abcdef", twilio.url()),
                Duration.ofMillis(500));

        assertThat(service.send(SMS)).isEqualTo(new SendOutcome.Accepted("SM1", 1, null));

        assertThat(twilio.only().form()).containsEntry("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef")
                .doesNotContainKey("From").containsEntry("To", "+14155550100");
    }

    @Test
    void aNumberChosenWithinAMessagingServiceTravelsAsFromBesideTheService() {
        twilio.answer(201, "{\"sid\":\"SM1\",\"num_segments\":\"1\",\"price\":null}");
        TwilioProvider service = new TwilioProvider(http,
                new TwilioSettings("AC123", Secret.of("secret-token"), null, "MG0123456789abcdef0123456789abcdef", twilio.url()),
                Duration.ofMillis(500));

        service.send(new OutboundSms("msg_1", "+15005550009", SMS.to(), SMS.body(), SMS.statusCallback()));

        assertThat(twilio.only().form()).containsEntry("From", "+15005550009")
                .containsEntry("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef");
    }

    @Test
    void aPriceNotYetKnownIsNull() {
        twilio.answer(201, "{\"sid\":\"SM1\",\"num_segments\":\"1\",\"price\":null}");
        assertThat(send()).isEqualTo(new SendOutcome.Accepted("SM1", 1, null));
    }

    @Test
    void aRecipientWhoRepliedStopIsAnOptOut() {
        twilio.answer(400, """
                {"code":21610,"message":"Attempt to send to unsubscribed recipient","more_info":"https://www.twilio.com/docs/errors/21610","status":400}""");
        assertThat(send()).isEqualTo(new SendOutcome.Permanent("21610", "Attempt to send to unsubscribed recipient", true));
    }

    @Test
    void anInvalidNumberIsPermanentWithTwiliosCode() {
        twilio.answer(400, "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\",\"status\":400}");
        SendOutcome outcome = send();
        assertThat(outcome).isInstanceOf(SendOutcome.Permanent.class);
        assertThat(((SendOutcome.Permanent) outcome).errorCode()).isEqualTo("21211");
        assertThat(((SendOutcome.Permanent) outcome).recipientOptedOut()).isFalse();
    }

    @Test
    void aMessageWithItsOwnSenderUsesIt() {
        twilio.answer(201, "{\"sid\":\"SM2\",\"num_segments\":\"1\"}");
        provider(twilio.url()).send(new OutboundSms("msg_2", "+15005550001", "+14155550100", "hi", SMS.statusCallback()));
        assertThat(twilio.only().form()).containsEntry("From", "+15005550001");
    }

    // --- the lookup after an unknown outcome ------------------------------------------------------

    private static String rfc2822(java.time.Instant at) {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atZone(java.time.ZoneOffset.UTC));
    }

    @Test
    void theLookupFindsTheMessageInTheAccountsMessageListByToAndFrom() {
        java.time.Instant called = java.time.Instant.now().minusSeconds(90);
        twilio.answer(200, """
                {"messages":[{"sid":"SMfound","to":"+14155550100","from":"+15005550006","body":"%s","status":"queued",
                  "date_created":"%s","date_sent":null,"num_segments":"1","price":null}],
                 "next_page_uri":null,"page":0,"page_size":50}""".formatted(SMS.body(), rfc2822(called.plusSeconds(1))));
        SendLookup answer = provider(twilio.url()).lookup(SMS, called);
        assertThat(answer).isEqualTo(new SendLookup.Found(new SendOutcome.Accepted("SMfound", 1, null)));
        ProviderStub.Seen request = twilio.only();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/AC123/Messages.json");
        assertThat(request.query()).contains("To=%2B14155550100").contains("From=%2B15005550006");
        assertThat(request.header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("AC123:secret-token".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCompleteListWithoutTheMessageProvesItWasNotSent() {
        java.time.Instant called = java.time.Instant.now().minusSeconds(90);
        twilio.answer(200, """
                {"messages":[{"sid":"SMother","to":"+14155550100","from":"+15005550006","body":"another text",
                  "date_created":"%s","num_segments":"1"}],"next_page_uri":null}""".formatted(rfc2822(called.plusSeconds(5))));
        assertThat(provider(twilio.url()).lookup(SMS, called)).isInstanceOf(SendLookup.NotSent.class);
    }

    @Test
    void aFullPageThatDoesNotReachBackToTheCallProvesNothing() {
        java.time.Instant called = java.time.Instant.now().minusSeconds(600);
        twilio.answer(200, """
                {"messages":[{"sid":"SMother","to":"+14155550100","from":"+15005550006","body":"another text",
                  "date_created":"%s","num_segments":"1"}],
                 "next_page_uri":"/2010-04-01/Accounts/AC123/Messages.json?To=%%2B14155550100&Page=1&PageSize=50"}"""
                .formatted(rfc2822(called.plusSeconds(300))));
        assertThat(provider(twilio.url()).lookup(SMS, called)).isInstanceOf(SendLookup.Undetermined.class);
    }

    @Test
    void aListThatFailsIsAskedAgainLater() {
        twilio.answer(500, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":500}");
        assertThat(provider(twilio.url()).lookup(SMS, java.time.Instant.now())).isEqualTo(
                new SendLookup.Undetermined("twilio's message list answered 500", true));
    }
}
