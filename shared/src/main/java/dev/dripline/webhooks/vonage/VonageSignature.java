package dev.dripline.webhooks.vonage;

import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Vonage's signed requests: every parameter but {@code sig}, sorted by name, as
 * {@code &name=value} with {@code &} and {@code =} inside names and values replaced by {@code _};
 * then md5hash = MD5(text + secret), or an HMAC (MD5, SHA-1, SHA-256, SHA-512) of the text keyed
 * by the secret; hex, compared without regard to case.
 */
public final class VonageSignature {

    public static final String PARAMETER = "sig";

    private VonageSignature() {
    }

    /** The text that is hashed (without the secret). */
    static String signedText(Form params) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : params.sorted()) {
            if (PARAMETER.equals(e.getKey())) {
                continue;
            }
            text.append('&').append(clean(e.getKey())).append('=').append(clean(e.getValue()));
        }
        return text.toString();
    }

    private static String clean(String s) {
        return s.replace('&', '_').replace('=', '_');
    }

    /**
     * @param method md5hash, md5, sha1, sha256 or sha512 (DRIPLINE_VONAGE_SIGNATURE_METHOD)
     * @return the lower-case hex signature
     */
    public static String compute(String method, String secret, Form params) {
        String text = signedText(params);
        byte[] hash;
        switch (method) {
            case "md5hash" -> hash = Hmac.digest("MD5", text + secret);
            case "md5" -> hash = Hmac.of("HmacMD5", secret, text);
            case "sha1" -> hash = Hmac.of("HmacSHA1", secret, text);
            case "sha256" -> hash = Hmac.of("HmacSHA256", secret, text);
            case "sha512" -> hash = Hmac.of("HmacSHA512", secret, text);
            default -> throw new IllegalArgumentException("DRIPLINE_VONAGE_SIGNATURE_METHOD must be md5hash, md5, sha1, sha256 or sha512, not '"
                    + method + "'");
        }
        return HexFormat.of().formatHex(hash);
    }

    /** True when {@code sig} is the signature of the other parameters; constant time, any case. */
    public static boolean verify(String method, String secret, Form params) {
        String given = params.first(PARAMETER).orElse(null);
        if (secret == null || secret.isEmpty() || given == null || given.isBlank()) {
            return false;
        }
        byte[] expected = compute(method, secret, params).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }
}
