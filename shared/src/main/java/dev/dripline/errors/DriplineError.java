package dev.dripline.errors;

/**
 * An error the core reports to its caller on purpose, with what kind of refusal it is. The HTTP
 * functions map the kind to a status in one place; nothing else about the error leaks.
 */
public abstract class DriplineError extends RuntimeException {

    /** What went wrong, in the terms a caller can act on. */
    public enum Kind {
        /** The input is wrong: 422, with every field named. */
        INVALID_INPUT,
        /** No such resource: 404. */
        NOT_FOUND,
        /** Well formed but not allowed in the current state: 409. */
        CONFLICT,
        /** Refused for who sent it (a bad webhook signature, a key without the scope): 403. */
        REFUSED,
        /** Too many requests for now: 429 with Retry-After. */
        RATE_LIMITED,
        /** Not possible as this deployment is configured (no SMS provider): 503. */
        UNAVAILABLE
    }

    protected DriplineError(String message) {
        super(message);
    }

    public abstract Kind kind();

    /** The problem type the HTTP API answers with: the general one of its kind unless the error says more. */
    public ProblemType problemType() {
        return switch (kind()) {
            case INVALID_INPUT -> ProblemType.VALIDATION_FAILED;
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case CONFLICT -> ProblemType.CONFLICT;
            case REFUSED -> ProblemType.FORBIDDEN;
            case RATE_LIMITED -> ProblemType.RATE_LIMITED;
            case UNAVAILABLE -> ProblemType.NO_PROVIDER_CONFIGURED;
        };
    }
}
