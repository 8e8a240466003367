package dev.dripline.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider credentials from Secrets Manager, resolved once at start into the same variables the
 * settings read. {@code DRIPLINE_<PROVIDER>_SECRET_ARN} names a secret whose value is JSON,
 * e.g. {@code {"accountSid": "AC...", "authToken": "..."}} for Twilio; each known field fills
 * {@code DRIPLINE_<PROVIDER>_<FIELD>} (authToken → DRIPLINE_TWILIO_AUTH_TOKEN). A variable
 * already set wins over the secret (a deliberate override); unknown fields are refused, so a
 * typo fails the start instead of leaving a provider unconfigured.
 *
 * <p>Some secrets are one value, not JSON: {@code DRIPLINE_SUPPRESSION_SALT_SECRET_ARN} names the
 * suppression list's HMAC key, whose whole SecretString becomes DRIPLINE_SUPPRESSION_SALT (so the
 * salt never sits in a function's configuration). Here too a variable already set wins.
 */
public final class SecretValues {

    private static final Logger LOG = LoggerFactory.getLogger(SecretValues.class);

    /** The secrets' fields per prefix; a field's variable is the prefix + its name in upper snake case. */
    static final Map<String, List<String>> FIELDS = fields();

    private static Map<String, List<String>> fields() {
        Map<String, List<String>> f = new LinkedHashMap<>();
        // Credentials, then the sender identity (a number, or the provider's own pool of them).
        f.put("TWILIO", List.of("accountSid", "authToken", "from", "messagingServiceSid"));
        f.put("PLIVO", List.of("authId", "authToken", "from", "powerpackUuid"));
        f.put("TELNYX", List.of("apiKey", "publicKey", "from", "messagingProfileId"));
        f.put("VONAGE", List.of("apiKey", "apiSecret", "signatureSecret", "from"));
        f.put("SIMULATOR", List.of("secret"));
        f.put("OUTBOUND_WEBHOOK", List.of("secret"));
        f.put("VERIFY", List.of("secret"));
        return f;
    }

    /** Secrets whose whole value is one variable: prefix (of the ARN variable) to the variable it fills. */
    static final Map<String, String> PLAIN = Map.of("SUPPRESSION_SALT", "DRIPLINE_SUPPRESSION_SALT");

    private SecretValues() {
    }

    /** True when any DRIPLINE_*_SECRET_ARN this class reads is set (only then is a client built). */
    public static boolean anyArn(Map<String, String> env) {
        return java.util.stream.Stream.concat(FIELDS.keySet().stream(), PLAIN.keySet().stream())
                .anyMatch(p -> !env.getOrDefault(arnVariable(p), "").isBlank());
    }

    public static String arnVariable(String prefix) {
        return "DRIPLINE_" + prefix + "_SECRET_ARN";
    }

    /**
     * The environment with every configured secret's fields added.
     *
     * @param secretString reads a secret's value by ARN (Secrets Manager's GetSecretValue)
     */
    public static Map<String, String> resolve(Map<String, String> env, Function<String, String> secretString) {
        Map<String, String> out = new HashMap<>(env);
        for (Map.Entry<String, List<String>> provider : FIELDS.entrySet()) {
            String arn = env.getOrDefault(arnVariable(provider.getKey()), "").trim();
            if (arn.isEmpty()) {
                continue;
            }
            JsonNode json;
            try {
                json = Json.mapper().readTree(secretString.apply(arn));
            } catch (IOException e) {
                throw new IllegalStateException(arnVariable(provider.getKey()) + ": the secret's value is not JSON");
            }
            if (json == null || !json.isObject()) {
                throw new IllegalStateException(arnVariable(provider.getKey()) + ": the secret's value must be a JSON object with "
                        + provider.getValue());
            }
            for (var it = json.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!provider.getValue().contains(field)) {
                    throw new IllegalStateException(arnVariable(provider.getKey()) + ": unknown field '" + field + "' (expected "
                            + provider.getValue() + ")");
                }
                String variable = "DRIPLINE_" + provider.getKey() + "_" + snake(field);
                String value = json.get(field).asText("").trim();
                if (!out.getOrDefault(variable, "").isBlank()) {
                    LOG.info("{} is set; the secret's {} is not used", variable, field);
                } else if (!value.isEmpty()) {
                    out.put(variable, value);
                }
            }
            LOG.info("resolved {} from Secrets Manager", arnVariable(provider.getKey()));
        }
        for (Map.Entry<String, String> plain : PLAIN.entrySet()) {
            String arnVariable = arnVariable(plain.getKey());
            String arn = env.getOrDefault(arnVariable, "").trim();
            if (arn.isEmpty()) {
                continue;
            }
            if (!env.getOrDefault(plain.getValue(), "").isBlank()) {
                LOG.info("{} is set; the secret {} names is not read", plain.getValue(), arnVariable);
                continue;
            }
            String value = secretString.apply(arn);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(arnVariable + ": the secret has no value (a SecretString is expected)");
            }
            out.put(plain.getValue(), value.trim());
            LOG.info("resolved {} from Secrets Manager", arnVariable);
        }
        return out;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
