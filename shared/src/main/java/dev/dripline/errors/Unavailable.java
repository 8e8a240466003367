package dev.dripline.errors;

/**
 * The deployment cannot do this at all as configured (no SMS provider to send through): 503, with
 * what to configure in the detail. Retrying does not help until the operator changes the setup.
 */
public final class Unavailable extends DriplineError {

    public Unavailable(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.UNAVAILABLE;
    }
}
