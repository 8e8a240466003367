package dev.dripline.webhooks.vonage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.webhooks.Form;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Vonage's sig, checked against an independent computation: the signed text written out by hand
 * and hashed with javax.crypto directly (no official vectors are reachable offline).
 */
class VonageSignatureTest {

    private static final String SECRET = "s3cr3t&=key";

    /** Parameters as Vonage sends them, one with '&' and '=' inside, out of order. */
    private static Form params(String sig) {
        List<Map.Entry<String, String>> fields = new ArrayList<>(List.of(
                entry("to", "447700900000"),
                entry("text", "a=b & c"),
                entry("msisdn", "447700900123"),
                entry("messageId", "1F0000003E7A2B51"),
                entry("timestamp", "1795269605")));
        if (sig != null) {
            fields.add(entry("sig", sig));
        }
        return Form.of(fields);
    }

    /** Sorted by name, '&' and '=' inside values replaced by '_', sig left out. */
    private static final String SIGNED_TEXT = "&messageId=1F0000003E7A2B51&msisdn=447700900123&text=a_b _ c&timestamp=1795269605&to=447700900000";

    @Test
    void theSignedTextIsTheSortedParametersWithSeparatorsInsideValuesReplaced() {
        assertThat(VonageSignature.signedText(params("whatever"))).isEqualTo(SIGNED_TEXT);
    }

    @Test
    void md5hashIsTheMd5OfTheTextFollowedByTheSecret() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest((SIGNED_TEXT + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(VonageSignature.compute("md5hash", SECRET, params(null))).isEqualTo(expected);
        assertThat(VonageSignature.verify("md5hash", SECRET, params(expected))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"md5, HmacMD5", "sha1, HmacSHA1", "sha256, HmacSHA256", "sha512, HmacSHA512"})
    void hmacMethodsAreKeyedByTheSecret(String method, String jcaName) throws Exception {
        Mac mac = Mac.getInstance(jcaName);
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), jcaName));
        String expected = HexFormat.of().formatHex(mac.doFinal(SIGNED_TEXT.getBytes(StandardCharsets.UTF_8)));
        assertThat(VonageSignature.compute(method, SECRET, params(null))).isEqualTo(expected);
        assertThat(VonageSignature.verify(method, SECRET, params(expected))).isTrue();
        // Vonage's libraries send upper-case hex for some methods: case does not matter.
        assertThat(VonageSignature.verify(method, SECRET, params(expected.toUpperCase(Locale.ROOT)))).isTrue();
    }

    @Test
    void aSignatureOverOtherValuesOrWithAnotherSecretOrMethodFails() {
        String good = VonageSignature.compute("sha256", SECRET, params(null));
        assertThat(VonageSignature.verify("sha256", "other", params(good))).isFalse();
        assertThat(VonageSignature.verify("sha512", SECRET, params(good))).isFalse();
        List<Map.Entry<String, String>> tampered = new ArrayList<>(params(good).fields());
        tampered.set(1, entry("text", "STOP"));
        assertThat(VonageSignature.verify("sha256", SECRET, Form.of(tampered))).isFalse();
        assertThat(VonageSignature.verify("sha256", SECRET, params(null))).isFalse();
        assertThat(VonageSignature.verify("sha256", SECRET, params(""))).isFalse();
    }

    private static Map.Entry<String, String> entry(String k, String v) {
        return new AbstractMap.SimpleImmutableEntry<>(k, v);
    }
}
