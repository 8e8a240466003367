package dev.dripline.compliance;

import java.time.LocalDate;
import java.util.List;

/**
 * Text a recipient's jurisdiction requires on a message (China: a 【brand】 signature first and
 * an opt-out line last), added once: a body that already carries it is left as it is.
 */
public final class RequiredTexts {

    private RequiredTexts() {
    }

    /** What was added, and by which rules. */
    public record Applied(String body, List<Rule> rules) {
    }

    /**
     * {@code body} with what the recipient's jurisdiction requires under the bundled table, on
     * {@code at}'s UTC date (the text rules' dates are years apart; an hour's zone does not matter).
     */
    public static String forRecipient(String body, String brand, String category, String country, String e164,
                                      java.util.Map<String, ?> attributes, java.time.Instant at) {
        return apply(body, brand, category, RecipientJurisdiction.candidates(country, e164, attributes),
                at.atZone(java.time.ZoneOffset.UTC).toLocalDate(), RulesTable.bundled()).body();
    }

    /**
     * {@code body} with the required prefixes and suffixes of every text rule in force on
     * {@code day} for {@code category} and these candidates; {@code {brand}} is {@code brand}.
     */
    public static Applied apply(String body, String brand, String category, List<String> candidates, LocalDate day, RulesTable table) {
        String out = body;
        List<Rule> rules = table.applicable(Rule.Kind.TEXT, category, candidates, day);
        for (Rule r : rules) {
            Rule.RequiredText t = r.text().orElseThrow();
            if (t.prefix() != null) {
                String prefix = t.prefix().replace("{brand}", brand == null || brand.isBlank() ? "Dripline" : brand.trim());
                if (!out.startsWith(prefix)) {
                    out = prefix + out;
                }
            }
            if (t.suffix() != null && !out.contains(t.suffix())) {
                out = out + " " + t.suffix();
            }
        }
        return new Applied(out, rules);
    }
}
