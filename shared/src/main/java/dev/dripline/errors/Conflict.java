package dev.dripline.errors;

/** A request that is well formed but not allowed in the current state. Maps to 409. */
public final class Conflict extends RuntimeException {

    public Conflict(String message) {
        super(message);
    }
}
