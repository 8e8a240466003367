package dev.dripline.auth;

import dev.dripline.webhooks.Hmac;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The API keys accepted on {@code /v1}. Only SHA-256 digests are held, and a presented key is
 * compared digest to digest in constant time, so neither memory nor timing gives a key away.
 */
public final class ApiKeys {

    /** A key's name (recorded as the actor of what it does) and the digest of its secret. */
    private record Held(String name, byte[] digest) {
    }

    private final List<Held> keys;

    private ApiKeys(List<Held> keys) {
        this.keys = keys;
    }

    /** One key, named {@code name}. */
    public static ApiKeys single(String name, String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("an API key must have at least 16 characters");
        }
        return new ApiKeys(List.of(new Held(name, sha256(secret))));
    }

    /** The name of the key presented, if it is one of ours. */
    public Optional<String> verify(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        String match = null;
        for (Held key : keys) {
            // Compare against every key, so the time taken does not tell which one matched.
            if (MessageDigest.isEqual(key.digest(), digest)) {
                match = key.name();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] sha256(String value) {
        return Hmac.digest("SHA-256", value);
    }
}
