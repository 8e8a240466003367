package dev.dripline.auth;

import java.util.Locale;
import java.util.Optional;

/** What an API key may do. {@code admin} implies every other scope. */
public enum Scope {
    /** GET routes. */
    READ,
    /** Contact, segment, import, campaign and event writes. */
    WRITE,
    /** What texts someone: messages, broadcasts, verification codes. */
    SEND,
    /** API keys themselves; implies the rest. */
    ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> fromWire(String value) {
        for (Scope s : values()) {
            if (s.wire().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * The scope a request needs, from its method and path alone, so routes added later are
     * covered without a list to maintain: keys and webhook endpoint routes need admin; reads need read; sending
     * routes need send; every other write needs write.
     */
    public static Scope requiredFor(String method, String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        // Webhook endpoints hold signing secrets and receive message bodies: admin, reads included.
        if (p.equals("/v1/api-keys") || p.startsWith("/v1/api-keys/")
                || p.equals("/v1/webhook-endpoints") || p.startsWith("/v1/webhook-endpoints/")) {
            return ADMIN;
        }
        String m = method.toUpperCase(Locale.ROOT);
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
            return READ;
        }
        if (p.equals("/v1/messages/preview") || p.equals("/v1/compliance/check")) {
            return READ; // computes a body's cost; sends nothing
        }
        if (p.equals("/v1/messages") || p.equals("/v1/broadcasts") || p.equals("/v1/verifications") || p.startsWith("/v1/verifications/")) {
            return SEND;
        }
        return WRITE;
    }
}
