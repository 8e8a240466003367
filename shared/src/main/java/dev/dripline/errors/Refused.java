package dev.dripline.errors;

/** A request refused for who sent it, such as a webhook without a valid signature. Maps to 403. */
public final class Refused extends DriplineError {

    public Refused(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.REFUSED;
    }
}
