package dev.dripline.json;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The known field an unknown one was probably meant to be: {@code send_at} → {@code sendAt}. */
public final class FieldNames {

    private FieldNames() {
    }

    /**
     * The known name nearest to {@code given}, compared without case, underscores or hyphens
     * (so snake_case and kebab-case find their camelCase field); empty when none is close: at
     * most a third of the longer name's letters differ.
     */
    public static Optional<String> nearest(String given, Collection<String> known) {
        String g = fold(given);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            String c = fold(candidate);
            int d = distance(g, c);
            if (d < bestDistance && d <= Math.max(g.length(), c.length()) / 3) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Levenshtein distance, two rows at a time. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
