package dev.dripline.compliance;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The registration gates of the rules table (Texas SB 140) at send time: with
 * {@code DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION} on, a marketing message to a recipient in a
 * gated jurisdiction is refused unless its sender is recorded as registered there
 * ({@code DRIPLINE_COMPLIANCE_REGISTRATIONS}). Off (the default) it refuses nothing: the check
 * route reports the gate as a warning. Every marketing path (one-off, campaign step, broadcast)
 * asks this through {@code FrequencyCap}, the one place a marketing message is created.
 *
 * <p>The sender is the message's own {@code from} when it names one; otherwise every number the
 * deployment may send from to the recipient's country (any of them may be chosen at send time),
 * so each must be registered. No known sender at all is not registered.
 */
public final class RegistrationGate {

    /** Refuses nothing (enforcement off, or a core built without settings). */
    public static final RegistrationGate OFF = new RegistrationGate(ComplianceCheck.Registrations.NONE, RulesTable.bundled(), c -> List.of());

    /** Why a message may not go: the gate's rule and the sender without a registration (null when no sender is known). */
    public record Refusal(Rule rule, String sender) {
        /** The reason as the run history, a broadcast's log and the API's problem read it. */
        public String reason() {
            return "registration rule " + rule.id() + " (" + rule.jurisdiction() + ", " + rule.source() + "): no registration recorded for "
                    + (sender == null ? "the sender (no sender number is configured for the recipient's country)" : "sender " + sender)
                    + " (" + rule.registry().orElse("registration") + "); DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION is on";
        }
    }

    private final ComplianceCheck.Registrations registrations;
    private final RulesTable table;
    private final Function<String, List<String>> sendersFor;

    /**
     * @param sendersFor the numbers the deployment may send from to a country (its sender pools)
     */
    public RegistrationGate(ComplianceCheck.Registrations registrations, RulesTable table, Function<String, List<String>> sendersFor) {
        this.registrations = registrations;
        this.table = table;
        this.sendersFor = sendersFor;
    }

    public boolean enforcing() {
        return registrations.enforce();
    }

    /**
     * Empty when the message may go (enforcement off, not marketing, no gate, every sender registered).
     *
     * @param from    the message's own sender, or null to mean whichever the deployment picks
     * @param country the recipient's country (which senders may reach it)
     */
    public Optional<Refusal> refusal(String category, List<String> candidates, String from, String country, LocalDate day) {
        if (!registrations.enforce() || !"marketing".equals(category)) {
            return Optional.empty();
        }
        List<String> senders = from != null && !from.isBlank() ? List.of(from) : sendersFor.apply(country);
        for (Rule r : table.applicable(Rule.Kind.REGISTRATION, category, candidates, day)) {
            Optional<String> missing = unregistered(r, senders, registrations);
            if (missing.isPresent()) {
                return Optional.of(new Refusal(r, missing.get().isEmpty() ? null : missing.get()));
            }
        }
        return Optional.empty();
    }

    /** The first sender without a registration for the rule's jurisdiction ("" when there is no sender at all); empty if all have one. */
    static Optional<String> unregistered(Rule r, List<String> senders, ComplianceCheck.Registrations registrations) {
        if (senders.isEmpty()) {
            return Optional.of("");
        }
        return senders.stream().filter(s -> !registrations.registered(r.jurisdiction(), s)).findFirst();
    }
}
