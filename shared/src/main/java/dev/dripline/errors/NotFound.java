package dev.dripline.errors;

/** A resource that does not exist (or no longer does). Maps to 404. */
public final class NotFound extends RuntimeException {

    public NotFound(String what, String id) {
        super(what + " " + id + " does not exist");
    }
}
