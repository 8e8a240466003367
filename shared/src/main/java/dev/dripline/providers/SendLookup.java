package dev.dripline.providers;

/** What a provider says, when asked afterwards, about a send whose outcome was unknown. */
public sealed interface SendLookup {

    /** It took the message (or, with an idempotency key, takes it now, once): as an answer to the send. */
    record Found(SendOutcome outcome) implements SendLookup {
    }

    /** Its records prove it never took the message: sending it now (anywhere) sends it once. */
    record NotSent(String evidence) implements SendLookup {
    }

    /**
     * No answer either way.
     *
     * @param askAgain whether a later lookup may tell (the provider was unreachable); false when the
     *                 provider has no lookup at all
     */
    record Undetermined(String reason, boolean askAgain) implements SendLookup {
    }
}
