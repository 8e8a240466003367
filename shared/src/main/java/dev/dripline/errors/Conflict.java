package dev.dripline.errors;

/** A request that is well formed but not allowed in the current state. Maps to 409. */
public final class Conflict extends DriplineError {

    public Conflict(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }
}
