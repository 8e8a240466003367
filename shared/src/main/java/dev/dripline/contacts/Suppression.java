package dev.dripline.contacts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The suppression list's one-way form of a number: HMAC-SHA256 keyed with a secret salt
 * (DRIPLINE_SUPPRESSION_SALT). Without the salt a hash of a phone number is reversible by
 * trying every number of a country; with it, only whoever holds the salt can test a number.
 */
public final class Suppression {

    private final Optional<byte[]> salt;

    public Suppression(Optional<String> salt) {
        this.salt = salt.map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    public boolean configured() {
        return salt.isPresent();
    }

    /** The suppression item's key for a number; empty without a salt. */
    Optional<String> key(String e164) {
        return salt.map(s -> "suppressed#" + hmac(s, e164));
    }

    private static String hmac(byte[] salt, String e164) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(e164.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
