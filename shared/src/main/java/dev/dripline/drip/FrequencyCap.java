package dev.dripline.drip;

import dev.dripline.compliance.RecipientJurisdiction;
import dev.dripline.compliance.RegistrationGate;
import dev.dripline.compliance.Rule;
import dev.dripline.compliance.RulesTable;
import dev.dripline.contacts.Contact;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The frequency caps on marketing, across every campaign and broadcast: the daily cap
 * (DRIPLINE_FREQUENCY_CAP, per local day) and the jurisdictions' caps of the rules table
 * (Florida: 3 per rolling 24 hours from one sender). The one place a marketing message is
 * created with its counts, on the contact's day as {@link ContactZone} reads it.
 *
 * <p>One deployment is one sender (one workspace, one brand), so a rule counted {@code per:
 * sender} and one counted {@code overall} both count every marketing message it sends.
 */
public final class FrequencyCap {

    /** What became of a message: made now, made before (a duplicate delivery), or not made (a cap). */
    public enum Outcome { CREATED, ALREADY_CREATED, CAPPED, REFUSED }

    /**
     * The outcome and, when capped, when a slot frees ({@code until}) and the jurisdiction's
     * rule that held it ({@code heldBy}; null when the daily cap held it).
     */
    public record Result(Outcome outcome, Instant until, Rule heldBy, RegistrationGate.Refusal refusal) {
        public Result(Outcome outcome, Instant until, Rule heldBy) {
            this(outcome, until, heldBy, null);
        }

        public boolean capped() {
            return outcome == Outcome.CAPPED;
        }

        /** Not made: a registration gate refused its sender (enforcement on); {@link #refusal()} says why. */
        public boolean refused() {
            return outcome == Outcome.REFUSED;
        }

        /** The rule as a step's history reads it. */
        public String heldByText() {
            return heldBy == null ? "frequency cap" : "cap rule " + heldBy.id() + " (" + heldBy.jurisdiction() + ", " + heldBy.source() + ")";
        }
    }

    /** Rereads of the send log when another send moved it meanwhile. */
    private static final int ATTEMPTS = 5;

    private final JourneyStore store;
    private final MessageStore messages;
    private final int dailyCap;
    private final RulesTable rules;
    private final RegistrationGate gate;

    public FrequencyCap(JourneyStore store, MessageStore messages, int dailyCap) {
        this(store, messages, dailyCap, RulesTable.bundled());
    }

    public FrequencyCap(JourneyStore store, MessageStore messages, int dailyCap, RulesTable rules) {
        this(store, messages, dailyCap, rules, RegistrationGate.OFF);
    }

    /** @param gate the registration gates, enforced here before any marketing message is made (off: refuses nothing) */
    public FrequencyCap(JourneyStore store, MessageStore messages, int dailyCap, RulesTable rules, RegistrationGate gate) {
        this.store = store;
        this.messages = messages;
        this.dailyCap = dailyCap;
        this.rules = rules;
        this.gate = gate;
    }

    /**
     * Creates the message; a marketing one only within the contact's daily cap and every cap
     * rule binding its jurisdictions, and counted, in one transaction with the message.
     */
    public Result create(Message m, Contact contact, Instant now) {
        return create(m, contact, now, true, null, now);
    }

    /**
     * A one-off marketing message ({@code POST /v1/messages}): counted by the jurisdictions' cap
     * rules in the same send log as campaigns and broadcasts, at {@code at} (when it is due), but
     * not by the daily cap, which stays the campaigns' and broadcasts' own. Stored with the
     * request's fingerprint (Idempotency-Key). The log keeps every send that still counts at
     * {@code clockNow}, the real present, when {@code at} is later (a deferred message).
     */
    public Result createOneOff(Message m, Contact contact, Instant at, String requestHash, Instant clockNow) {
        return create(m, contact, at, false, requestHash, clockNow.isBefore(at) ? clockNow : at);
    }

    private Result create(Message m, Contact contact, Instant now, boolean daily, String requestHash, Instant keepFrom) {
        if (m.category() != Category.MARKETING) {
            return new Result(store.createCounted(messages.createPut(m, requestHash), contact.id(), null, dailyCap, now, null), null, null);
        }
        LocalDate day = ContactZone.day(contact, now);
        List<String> candidates = RecipientJurisdiction.candidates(contact.country(), contact.phone(), contact.attributes());
        Optional<RegistrationGate.Refusal> refused = gate.refusal("marketing", candidates, m.from(), contact.country(), day);
        if (refused.isPresent()) {
            return new Result(Outcome.REFUSED, null, refused.get().rule(), refused.get());
        }
        List<Rule> caps = rules.caps(candidates, day);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            JourneyStore.SendLog log = caps.isEmpty() ? null : store.sendLog(contact.id());
            Result held = caps.isEmpty() ? null : heldByRule(caps, log, now);
            if (held != null) {
                return held;
            }
            JourneyStore.SendLog next = log == null ? null : log.after(now, keep(caps, keepFrom, log), longest(caps));
            Outcome o = store.createCounted(messages.createPut(m, requestHash), contact.id(), daily ? day : null, dailyCap, now, next);
            if (o == null) {
                continue; // another send wrote the log first: read it again
            }
            return new Result(o, o == Outcome.CAPPED ? ContactZone.nextDay(contact, now) : null, null);
        }
        throw new IllegalStateException("the send log of a contact kept moving; the work is delivered again");
    }

    /** The rule whose window frees last among those full at {@code now}, or null when none is full. */
    private static Result heldByRule(List<Rule> caps, JourneyStore.SendLog log, Instant now) {
        List<Instant> newestFirst = new ArrayList<>(log.sent());
        newestFirst.sort(Comparator.reverseOrder());
        Result held = null;
        for (Rule r : caps) {
            Rule.Cap cap = r.cap().orElseThrow();
            Duration window = cap.duration();
            long inWindow = newestFirst.stream().filter(t -> t.plus(window).isAfter(now)).count();
            if (inWindow >= cap.count()) {
                // The count-th newest send leaves the window first among those that fill it.
                Instant frees = newestFirst.get(cap.count() - 1).plus(window);
                if (held == null || frees.isAfter(held.until())) {
                    held = new Result(Outcome.CAPPED, frees, r);
                }
            }
        }
        return held;
    }

    /**
     * The sends the rules still need: those inside the longest window from {@code now}, at most
     * the largest count, plus every send still to come (a one-off deferred to a later window).
     */
    private static List<Instant> keep(List<Rule> caps, Instant now, JourneyStore.SendLog log) {
        Duration longest = longest(caps);
        int most = caps.stream().mapToInt(r -> r.cap().orElseThrow().count()).max().orElseThrow();
        long ahead = log.sent().stream().filter(t -> t.isAfter(now)).count();
        return log.sent().stream().filter(t -> t.plus(longest).isAfter(now)).sorted(Comparator.reverseOrder()).limit(most - 1L + ahead)
                .sorted().toList();
    }

    private static Duration longest(List<Rule> caps) {
        return caps.stream().map(r -> r.cap().orElseThrow().duration()).max(Comparator.naturalOrder()).orElseThrow();
    }
}
