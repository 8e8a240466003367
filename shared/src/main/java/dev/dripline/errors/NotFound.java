package dev.dripline.errors;

/** A resource that does not exist (or no longer does). Maps to 404. */
public final class NotFound extends DriplineError {

    public NotFound(String what, String id) {
        super(what + " " + id + " does not exist");
    }

    @Override
    public Kind kind() {
        return Kind.NOT_FOUND;
    }
}
