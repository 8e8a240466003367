package dev.dripline.compliance;

import dev.dripline.config.ConfigurationError;
import dev.dripline.config.Env;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The answer to "may this go to that recipient now, and why": every rule of the table that
 * applies to the recipient's jurisdictions on the day, each with what it did, the next allowed
 * time when the hours hold it, and the table's version. The send paths hold marketing through
 * {@link QuietHours}; this explains the same decision (and the texts, caps and gates beside it).
 */
public final class ComplianceCheck {

    /** Registration gates per jurisdiction: senders recorded as registered, and whether an unregistered one is held. */
    public record Registrations(Map<String, Set<String>> registeredSenders, boolean enforce) {
        public static final Registrations NONE = new Registrations(Map.of(), false);

        /**
         * From {@code DRIPLINE_COMPLIANCE_REGISTRATIONS} ({@code US-TX=+15125550100|+15125550101;...})
         * and {@code DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION} ({@code true} to hold unregistered senders).
         */
        public static Registrations parse(String spec, String enforce) {
            Map<String, Set<String>> out = new java.util.HashMap<>();
            if (spec != null && !spec.isBlank()) {
                for (String part : spec.split(";")) {
                    String[] kv = part.split("=", 2);
                    if (kv.length != 2 || kv[0].isBlank()) {
                        throw new IllegalArgumentException("DRIPLINE_COMPLIANCE_REGISTRATIONS: '" + part
                                + "' is not JURISDICTION=SENDER|SENDER (e.g. US-TX=+15125550100)");
                    }
                    out.put(kv[0].trim().toUpperCase(Locale.ROOT), Set.of(kv[1].trim().split("\\s*\\|\\s*")));
                }
            }
            return new Registrations(Map.copyOf(out), Boolean.parseBoolean(enforce == null ? "false" : enforce.trim()));
        }

        public static Registrations from(Env env) {
            try {
                return parse(env.orNull("DRIPLINE_COMPLIANCE_REGISTRATIONS"), null)
                        .enforcing(env.flag("DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION", false));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationError("DRIPLINE_COMPLIANCE_REGISTRATIONS", e.getMessage());
            }
        }

        private Registrations enforcing(boolean on) {
            return new Registrations(registeredSenders, on);
        }

        boolean registered(String jurisdiction, String sender) {
            return sender != null && registeredSenders.getOrDefault(jurisdiction, Set.of()).contains(sender);
        }
    }

    /** One rule as applied: {@code outcome} is held, allowed, required_text, cap, warning or revocation. */
    public record AppliedRule(String id, String jurisdiction, String kind, String source, String citation, LocalDate effectiveFrom,
                              LocalDate effectiveUntil, String outcome, String detail) {
        static AppliedRule of(Rule r, String outcome, String detail) {
            return new AppliedRule(r.id(), r.jurisdiction(), r.kind().name().toLowerCase(Locale.ROOT), r.source(), r.citation(), r.from(),
                    r.until(), outcome, detail);
        }
    }

    /** The whole answer: {@code nextAllowedAt} only when not allowed (null when a registration gate holds it for good). */
    public record Answer(boolean allowed, Instant nextAllowedAt, List<String> jurisdictions, List<AppliedRule> rules,
                         String rulesVersion, String revocationScope) {
    }

    private ComplianceCheck() {
    }

    /**
     * @param category {@code marketing} or {@code transactional}
     * @param from     the sender number, when known (registration gates)
     */
    public static Answer check(List<String> candidates, List<ZoneId> zones, String category, String from, Instant at,
                               RulesTable table, Registrations registrations) {
        List<ZoneId> where = zones == null || zones.isEmpty() ? List.of(ZoneOffset.UTC) : zones;
        LocalDate day = at.atZone(where.get(0)).toLocalDate();
        List<AppliedRule> applied = new ArrayList<>();
        boolean allowed = true;
        Instant next = at;
        if (category.equals("marketing")) {
            QuietHours.Decision d = QuietHours.decide(at, where, QuietHours.Jurisdiction.of(candidates, table));
            for (Rule r : d.applied()) {
                boolean holds = d.heldBy() != null && d.heldBy().id().equals(r.id());
                applied.add(AppliedRule.of(r, holds ? "held" : "allowed", hoursText(r, day)
                        + (holds ? "; next allowed " + d.nextAllowedAt() : "")));
            }
            allowed = d.allowed();
            next = d.nextAllowedAt();
        }
        for (Rule r : table.applicable(Rule.Kind.TEXT, category, candidates, day)) {
            Rule.RequiredText t = r.text().orElseThrow();
            applied.add(AppliedRule.of(r, "required_text", (t.prefix() != null ? "prefix " + t.prefix() : "suffix " + t.suffix())
                    + " (" + t.locale() + "), added to the message and counted in its segments"));
        }
        for (Rule r : table.applicable(Rule.Kind.CAP, category, candidates, day)) {
            Rule.Cap c = r.cap().orElseThrow();
            applied.add(AppliedRule.of(r, "cap", "at most " + c.count() + " per " + c.window() + (c.perSender() ? " per sender" : "")));
        }
        for (Rule r : table.applicable(Rule.Kind.REGISTRATION, category, candidates, day)) {
            // The same test as the send paths' gate (RegistrationGate), so this answer and a send agree.
            boolean ok = RegistrationGate.unregistered(r, from == null || from.isBlank() ? List.of() : List.of(from), registrations).isEmpty();
            if (ok) {
                applied.add(AppliedRule.of(r, "allowed", "sender " + from + " is recorded as registered"));
            } else if (registrations.enforce()) {
                applied.add(AppliedRule.of(r, "held", "no registration recorded for " + (from == null ? "the sender" : from)
                        + " (" + r.registry().orElseThrow() + "); enforcement is on"));
                allowed = false;
                next = null;
            } else {
                applied.add(AppliedRule.of(r, "warning", "no registration recorded for " + (from == null ? "the sender" : from)
                        + " (" + r.registry().orElseThrow() + "); not held: enforcement is off"));
            }
        }
        String scope = table.revocationScope(candidates, day);
        for (Rule r : table.applicable(Rule.Kind.REVOCATION, category, candidates, day)) {
            applied.add(AppliedRule.of(r, "revocation", "a STOP revokes " + (scope.equals("all") ? "every topic" : "the topic it answers")));
        }
        return new Answer(allowed, allowed ? null : next, candidates, List.copyOf(applied), table.version(), scope);
    }

    private static String hoursText(Rule r, LocalDate day) {
        List<Rule.Window> w = r.windowsOn(day);
        return day.getDayOfWeek().toString().charAt(0) + day.getDayOfWeek().toString().substring(1).toLowerCase(Locale.ROOT) + " "
                + day + ": " + (w.isEmpty() ? "closed" : w.stream().map(Rule.Window::toString).reduce((a, b) -> a + ", " + b).orElseThrow())
                + " local";
    }
}
