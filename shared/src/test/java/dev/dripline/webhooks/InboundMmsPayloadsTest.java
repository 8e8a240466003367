package dev.dripline.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.conversations.InboundMedia;
import dev.dripline.conversations.InboundSms;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Refused;
import dev.dripline.webhooks.plivo.PlivoCallbacks;
import dev.dripline.webhooks.telnyx.TelnyxCallbacks;
import dev.dripline.webhooks.twilio.TwilioCallbacks;
import dev.dripline.webhooks.twilio.TwilioSignature;
import dev.dripline.webhooks.vonage.VonageMessagesCallbacks;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each provider's documented inbound MMS payload, signed as that provider signs it, read into an
 * inbound message with its media; and refused when the signature does not hold.
 */
class InboundMmsPayloadsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void twilioNumMediaAndMediaUrlsSignedWithTheAuthToken() {
        String token = "twilio-auth-token-0123456789abcdef";
        String url = "https://dripline.example.com/webhooks/twilio/inbound";
        // As Twilio's messaging webhook posts it (form-encoded; MediaUrl{n} and MediaContentType{n} from 0).
        String raw = "ToCountry=US&MediaContentType0=image%2Fjpeg&NumMedia=2&Body=Here%20it%20is"
                + "&MediaContentType1=video%2Fmp4&SmsMessageSid=MM0123456789abcdef0123456789abcdef"
                + "&MessageSid=MM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef"
                + "&From=%2B14155550100&To=%2B18335550100&NumSegments=1&ApiVersion=2010-04-01"
                + "&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC0123456789abcdef0123456789abcdef"
                + "%2FMessages%2FMM0123456789abcdef0123456789abcdef%2FMedia%2FME11111111111111111111111111111111"
                + "&MediaUrl1=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC0123456789abcdef0123456789abcdef"
                + "%2FMessages%2FMM0123456789abcdef0123456789abcdef%2FMedia%2FME22222222222222222222222222222222";
        TwilioCallbacks twilio = new TwilioCallbacks(Optional.of(token));
        String signature = TwilioSignature.compute(token, url, Form.parse(raw));

        InboundSms sms = TwilioCallbacks.inbound(twilio.verified(url, signature, raw), NOW);

        assertThat(sms.body()).isEqualTo("Here it is");
        assertThat(sms.media()).extracting(InboundMedia::contentType).containsExactly("image/jpeg", "video/mp4");
        assertThat(sms.media().get(1).url()).endsWith("/Media/ME22222222222222222222222222222222");
        assertThatThrownBy(() -> twilio.verified(url, signature, raw.replace("NumMedia=2", "NumMedia=1"))).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> twilio.verified(url, signature, raw.replace("ME2222", "ME3333"))).isInstanceOf(Refused.class);
    }

    @Test
    void twilioAPictureWithoutTextIsAMessageWithAnEmptyBodyAndABadCountIsNamed() {
        InboundSms sms = TwilioCallbacks.inbound(Form.parse("MessageSid=MM1&From=%2B14155550100&To=%2B18335550100&Body="
                + "&NumMedia=1&MediaContentType0=image%2Fpng&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm"), NOW);
        assertThat(sms.body()).isEmpty();
        assertThat(sms.media()).hasSize(1);
        assertThatThrownBy(() -> TwilioCallbacks.inbound(Form.parse("MessageSid=MM1&From=%2B14155550100&To=%2B18335550100&NumMedia=11"), NOW))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("NumMedia");
        assertThatThrownBy(() -> TwilioCallbacks.inbound(Form.parse("MessageSid=MM1&From=%2B14155550100&To=%2B18335550100&NumMedia=1"), NOW))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("MediaUrl0");
    }

    @Test
    void plivoTypeMmsWithBodyMediaCountAndMediaNSignedV3() {
        String token = "plivo-auth-token";
        String url = "https://dripline.example.com/webhooks/plivo/inbound";
        // Plivo's "Handling incoming SMS/MMS": Type=mms, text in Body, MediaCount and Media1..MediaN.
        String raw = "From=14155550100&To=18335550100&Type=mms&Body=Our%20new%20porch&MessageUUID=2a3b4c5d-0000-4000-8000-000000000001"
                + "&Units=1&TotalRate=0.0&TotalAmount=0.0&MediaCount=2"
                + "&Media1=https%3A%2F%2Fmedia.plivo.com%2FAccount%2FMAXXXXXXXXXXXXXXXXXX%2FMedia%2F11111111-aaaa"
                + "&Media2=https%3A%2F%2Fmedia.plivo.com%2FAccount%2FMAXXXXXXXXXXXXXXXXXX%2FMedia%2F22222222-bbbb";
        PlivoCallbacks plivo = new PlivoCallbacks(Optional.of(token));
        String signature = PlivoCallbacks.sign(token, url, "nonce-1", Form.parse(raw));

        InboundSms sms = PlivoCallbacks.inbound(plivo.verified(url, signature, "nonce-1", raw), NOW);

        assertThat(sms.from()).isEqualTo("+14155550100");
        assertThat(sms.body()).isEqualTo("Our new porch");
        assertThat(sms.media()).extracting(InboundMedia::url).containsExactly(
                "https://media.plivo.com/Account/MAXXXXXXXXXXXXXXXXXX/Media/11111111-aaaa",
                "https://media.plivo.com/Account/MAXXXXXXXXXXXXXXXXXX/Media/22222222-bbbb");
        assertThatThrownBy(() -> plivo.verified(url, signature, "nonce-1", raw.replace("22222222", "33333333"))).isInstanceOf(Refused.class);
    }

    @Test
    void plivoCountingFromMedia0AsItsSupportArticleShowsAndAnSmsCarriesNoMedia() {
        InboundSms fromZero = PlivoCallbacks.inbound(Form.parse("From=14155550100&To=18335550100&Type=mms&MessageUUID=u-2&MediaCount=1"
                + "&Media0=https%3A%2F%2Fmedia.plivo.com%2Fa"), NOW);
        assertThat(fromZero.media()).extracting(InboundMedia::url).containsExactly("https://media.plivo.com/a");
        assertThat(fromZero.body()).isEmpty();
        InboundSms sms = PlivoCallbacks.inbound(Form.parse("From=14155550100&To=18335550100&Type=sms&Text=hi&MessageUUID=u-3"), NOW);
        assertThat(sms.media()).isEmpty();
        assertThat(sms.body()).isEqualTo("hi");
    }

    @Test
    void telnyxMessageReceivedWithPayloadMediaSignedEd25519() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = keys.getPublic().getEncoded();
        TelnyxCallbacks telnyx = new TelnyxCallbacks(Optional.of(Base64.getEncoder().encodeToString(
                Arrays.copyOfRange(spki, spki.length - 32, spki.length))));
        // As Telnyx documents message.received for an MMS: payload.type MMS, media[] {url, content_type, size, hash_sha256}.
        String body = "{\"data\":{\"event_type\":\"message.received\",\"id\":\"ev-mms-1\",\"occurred_at\":\"2026-12-03T11:59:59.000+00:00\","
                + "\"payload\":{\"id\":\"tx-mms-1\",\"type\":\"MMS\",\"text\":\"\",\"direction\":\"inbound\","
                + "\"from\":{\"phone_number\":\"+14155550100\",\"carrier\":\"T-Mobile USA\",\"line_type\":\"Wireless\"},"
                + "\"to\":[{\"phone_number\":\"+18335550100\",\"status\":\"webhook_delivered\"}],"
                + "\"media\":[{\"url\":\"https://media.telnyx.com/msg/aaaa.jpg\",\"content_type\":\"image/jpeg\",\"size\":48211,"
                + "\"hash_sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}]}},\"meta\":{\"attempt\":1}}";
        String ts = Long.toString(NOW.getEpochSecond());
        Signature ed = Signature.getInstance("Ed25519");
        ed.initSign(keys.getPrivate());
        ed.update((ts + "|" + body).getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().encodeToString(ed.sign());

        JsonNode data = telnyx.verified(signature, ts, body, NOW);
        InboundSms sms = TelnyxCallbacks.inbound(data, NOW).orElseThrow();

        assertThat(sms.body()).isEmpty();
        assertThat(sms.media()).containsExactly(new InboundMedia("https://media.telnyx.com/msg/aaaa.jpg", "image/jpeg", 48211L));
        assertThatThrownBy(() -> telnyx.verified(signature, ts, body.replace("aaaa.jpg", "bbbb.jpg"), NOW)).isInstanceOf(Refused.class);
    }

    @Test
    void vonageMessagesApiImageSignedWithAnHs256JwtOverThePayloadHash() {
        String secret = "vonage-signature-secret";
        VonageMessagesCallbacks vonage = new VonageMessagesCallbacks(Optional.of(secret));
        // The Messages API's inbound message for an MMS: channel mms, message_type image, image {url, caption}.
        String body = "{\"channel\":\"mms\",\"message_uuid\":\"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\",\"to\":\"18335550100\","
                + "\"from\":\"14155550100\",\"timestamp\":\"2026-12-03T11:59:58.000Z\",\"message_type\":\"image\","
                + "\"image\":{\"url\":\"https://api-us.nexmo.com/v3/media/1b456509-974c-458b-aafa-45fc48a4d976\",\"caption\":\"STOP\"}}";
        String jwt = VonageMessagesCallbacks.sign(secret, "{\"iat\":" + NOW.getEpochSecond() + ",\"jti\":\"j-1\",\"iss\":\"Vonage\","
                + "\"payload_hash\":\"" + Hmac.sha256Hex(body) + "\",\"api_key\":\"abcd1234\",\"application_id\":\"app-1\"}");

        InboundSms sms = VonageMessagesCallbacks.inbound(vonage.verified("Bearer " + jwt, body, NOW), NOW).orElseThrow();

        assertThat(sms.provider()).isEqualTo("vonage");
        assertThat(sms.from()).isEqualTo("+14155550100");
        assertThat(sms.to()).isEqualTo("+18335550100");
        assertThat(sms.body()).isEqualTo("STOP");
        assertThat(sms.media()).extracting(InboundMedia::url).containsExactly("https://api-us.nexmo.com/v3/media/1b456509-974c-458b-aafa-45fc48a4d976");
        assertThat(sms.receivedAt()).isEqualTo(Instant.parse("2026-12-03T11:59:58Z"));
        // The body changed under the token, a token of another secret, a stale one, none: refused.
        assertThatThrownBy(() -> vonage.verified("Bearer " + jwt, body.replace("STOP", "START"), NOW)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> vonage.verified("Bearer " + VonageMessagesCallbacks.sign("other", "{\"iat\":" + NOW.getEpochSecond()
                + ",\"payload_hash\":\"" + Hmac.sha256Hex(body) + "\"}"), body, NOW)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> vonage.verified("Bearer " + jwt, body, NOW.plusSeconds(301))).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> vonage.verified(null, body, NOW)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> new VonageMessagesCallbacks(Optional.empty()).verified("Bearer " + jwt, body, NOW))
                .isInstanceOf(Refused.class);
    }

    @Test
    void vonageAnAlgNoneTokenIsRefusedAndOtherChannelsAreIgnored() {
        String body = "{\"channel\":\"whatsapp\",\"message_uuid\":\"u\",\"to\":\"1\",\"from\":\"2\",\"message_type\":\"text\",\"text\":\"hi\"}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String none = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"iat\":" + NOW.getEpochSecond() + ",\"payload_hash\":\"" + Hmac.sha256Hex(body) + "\"}")
                .getBytes(StandardCharsets.UTF_8)) + ".";
        assertThatThrownBy(() -> new VonageMessagesCallbacks(Optional.of("s")).verified("Bearer " + none, body, NOW))
                .isInstanceOf(Refused.class);
        assertThat(VonageMessagesCallbacks.inbound(dev.dripline.json.Json.read(body, JsonNode.class), NOW)).isEmpty();
    }
}
