package dev.dripline.webhooks.twilio;

import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.Hmac;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * X-Twilio-Signature: base64(HMAC-SHA1(auth token, full URL + each POST field sorted by name,
 * name then value, no separators)). As Twilio's own helper libraries do, the URL is accepted as
 * called, with any port removed, and with the scheme's default port added; a field sent more than
 * once is signed with its distinct values, sorted (as given, too). A GET webhook carries its
 * fields in the query string: the signature is over the URL alone, with no fields.
 */
public final class TwilioSignature {

    public static final String HEADER = "X-Twilio-Signature";

    private TwilioSignature() {
    }

    public static String compute(String authToken, String url, Form params) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, String> e : params.sorted()) {
            data.append(e.getKey()).append(e.getValue());
        }
        return Base64.getEncoder().encodeToString(Hmac.of("HmacSHA1", authToken, data.toString()));
    }

    /** The signature over {@code url} and each field's distinct values, sorted. */
    static String computeDistinct(String authToken, String url, Form params) {
        java.util.TreeMap<String, java.util.TreeSet<String>> fields = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : params.fields()) {
            fields.computeIfAbsent(e.getKey(), k -> new java.util.TreeSet<>()).add(e.getValue());
        }
        StringBuilder data = new StringBuilder(url);
        fields.forEach((name, values) -> values.forEach(v -> data.append(name).append(v)));
        return Base64.getEncoder().encodeToString(Hmac.of("HmacSHA1", authToken, data.toString()));
    }

    public static boolean verify(String authToken, String header, String url, Form params) {
        if (authToken == null || authToken.isEmpty() || header == null || header.isBlank()) {
            return false;
        }
        for (String candidate : withAndWithoutDefaultPort(url)) {
            if (Hmac.equal(compute(authToken, candidate, params), header.trim())
                    || Hmac.equal(computeDistinct(authToken, candidate, params), header.trim())) {
                return true;
            }
        }
        return false;
    }

    static Set<String> withAndWithoutDefaultPort(String url) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(url);
        try {
            URI u = URI.create(url);
            if (u.getHost() == null || u.getScheme() == null) {
                return forms;
            }
            int defaultPort = "https".equalsIgnoreCase(u.getScheme()) ? 443 : "http".equalsIgnoreCase(u.getScheme()) ? 80 : -1;
            String rest = (u.getRawPath() == null ? "" : u.getRawPath()) + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
                    + (u.getRawFragment() == null ? "" : "#" + u.getRawFragment());
            String userInfo = u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@";
            String base = u.getScheme() + "://" + userInfo + u.getHost();
            if (u.getPort() == -1 && defaultPort != -1) {
                forms.add(base + ":" + defaultPort + rest);
            } else if (u.getPort() != -1) {
                // Twilio's libraries drop whatever port the URL has, default or not.
                forms.add(base + rest);
            }
        } catch (IllegalArgumentException notAUrl) {
            // Only the URL as given, which will not match.
        }
        return forms;
    }
}
