package dev.dripline.errors;

/** A request that is well formed but not allowed in the current state. Maps to 409. */
public final class Conflict extends DriplineError {

    private final ProblemType type;

    public Conflict(String message) {
        this(ProblemType.CONFLICT, message);
    }

    /** A conflict of a more specific type ({@link ProblemType#RECIPIENT_OPTED_OUT}), which clients can tell apart. */
    public Conflict(ProblemType type, String message) {
        super(message);
        if (type.status() != 409) {
            throw new IllegalArgumentException(type + " is not a 409 problem type");
        }
        this.type = type;
    }

    @Override
    public ProblemType problemType() {
        return type;
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }
}
