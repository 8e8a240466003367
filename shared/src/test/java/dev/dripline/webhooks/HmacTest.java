package dev.dripline.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HmacTest {

    @Test
    void sha256HexIsTheLowerCaseHexOfTheUtf8Digest() {
        // FIPS 180-2 test vectors.
        assertThat(Hmac.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Hmac.sha256Hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Hmac.sha256Hex("é")).isEqualTo(java.util.HexFormat.of().formatHex(Hmac.digest("SHA-256", "é")));
    }
}
