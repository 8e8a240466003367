package dev.dripline.config;

import java.util.Objects;

/**
 * A credential read from the environment (auth tokens, HMAC keys, salts). Its {@code toString}
 * is masked, so a record holding one can be logged whole; {@link #reveal()} is the one way to
 * the value, called where it is used.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** Null stays null: the optional secrets of records built by hand (tests). */
    public static Secret orNull(String value) {
        return value == null ? null : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "****";
    }
}
