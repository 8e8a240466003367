package dev.dripline.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Refused;
import dev.dripline.webhooks.plivo.PlivoCallbacks;
import dev.dripline.webhooks.telnyx.TelnyxCallbacks;
import dev.dripline.webhooks.twilio.TwilioCallbacks;
import dev.dripline.webhooks.twilio.TwilioSignature;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever arrives at a webhook, the parsers and signature checks answer only with a refusal
 * (403) or invalid input (422), never another exception, and never accept what was not signed
 * with the secret. Acceptance is the only path to storing anything, so nothing is stored.
 */
class WebhookFuzzProperties {

    private static final String URL = "https://hooks.example.com/webhooks/x/inbound?m=msg_1";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withChars("=&%+ab0129FxZ.,;|{}\"[]:").ofMaxLength(120),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)));
    }

    @Provide
    Arbitrary<String> maybe() {
        return Arbitraries.oneOf(junk(), Arbitraries.just(null));
    }

    private static void onlyDocumentedRefusals(Runnable call) {
        try {
            call.run();
        } catch (Refused | InvalidInput expected) {
            // the documented answers
        }
    }

    @Property(tries = 300)
    void formsParseOrAreInvalidInput(@ForAll("junk") String body) {
        onlyDocumentedRefusals(() -> Form.parse(body));
    }

    @Property(tries = 300)
    void twilioNeverAcceptsUnsignedJunk(@ForAll("junk") String body, @ForAll("maybe") String signature) {
        TwilioCallbacks twilio = new TwilioCallbacks(Optional.of("token-0123456789"));
        boolean accepted = false;
        try {
            Form form = twilio.verified(URL, signature, body);
            accepted = true;
            onlyDocumentedRefusals(() -> TwilioCallbacks.inbound(form, NOW));
            onlyDocumentedRefusals(() -> TwilioCallbacks.receipt("msg_1", form, NOW));
        } catch (Refused expected) {
            // the documented answer
        }
        if (accepted) {
            assertThat(signature).isEqualTo(TwilioSignature.compute("token-0123456789", URL, Form.parse(body)));
        }
    }

    @Property(tries = 300)
    void twilioMappingOfArbitraryFieldsIsValidOrInvalidInput(@ForAll("junk") String body) {
        Form form;
        try {
            form = Form.parse(body);
        } catch (InvalidInput e) {
            return;
        }
        onlyDocumentedRefusals(() -> TwilioCallbacks.inbound(form, NOW));
        onlyDocumentedRefusals(() -> TwilioCallbacks.receipt("msg_1", form, NOW));
        onlyDocumentedRefusals(() -> PlivoCallbacks.inbound(form, NOW));
        onlyDocumentedRefusals(() -> PlivoCallbacks.receipt("msg_1", form, NOW));
    }

    @Property(tries = 300)
    void plivoNeverAcceptsUnsignedJunk(@ForAll("junk") String body, @ForAll("maybe") String signature, @ForAll("maybe") String nonce) {
        PlivoCallbacks plivo = new PlivoCallbacks(Optional.of("token-0123456789"));
        try {
            plivo.verified(URL, signature, nonce, body);
            assertThat(signature).contains(PlivoCallbacks.sign("token-0123456789", URL, nonce, Form.parse(body)));
        } catch (Refused expected) {
            // the documented answer
        }
    }

    @Property(tries = 200)
    void telnyxNeverAcceptsUnsignedJunk(@ForAll("junk") String body, @ForAll("maybe") String signature,
                                        @ForAll("maybe") String timestamp) throws Exception {
        byte[] spki = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        TelnyxCallbacks telnyx = new TelnyxCallbacks(Optional.of(
                Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length))));
        String ts = timestamp == null ? Long.toString(NOW.getEpochSecond()) : timestamp;
        try {
            telnyx.verified(signature, ts, body, NOW);
            throw new AssertionError("accepted a body nobody signed");
        } catch (Refused expected) {
            // the documented answer
        }
    }

    @Property(tries = 300)
    void simulatorNeverAcceptsUnsignedJunk(@ForAll("junk") String body, @ForAll("maybe") String header) {
        assertThat(SimulatorSignature.verify("secret-0123456789", header, URL, body, NOW)).isFalse();
    }
}
