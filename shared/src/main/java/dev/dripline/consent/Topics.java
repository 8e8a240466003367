package dev.dripline.consent;

import dev.dripline.config.ConfigurationError;
import dev.dripline.config.Env;
import dev.dripline.errors.InvalidInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The consent topics a deployment keeps apart (DRIPLINE_TOPICS, default {@code
 * marketing,reminders,alerts}), what a STOP revokes (DRIPLINE_REVOCATION_SCOPE) and which topic
 * each sending number's program belongs to (DRIPLINE_NUMBER_TOPICS).
 *
 * <p>A message without a topic takes its category's: marketing {@code marketing},
 * transactional {@code alerts}; so both must be in the list.
 *
 * @param names           the topics a message, campaign, broadcast or consent change may name
 * @param revocationScope {@code all} (the default: a STOP revokes every topic) or {@code topic}
 *                        (a STOP revokes the topic of the number it was sent to, while the rules
 *                        table allows it: the FCC's revoke-all rule ends that on 2027-01-31)
 * @param numberTopics    E.164 sender number to the topic of its program
 */
public record Topics(List<String> names, String revocationScope, Map<String, String> numberTopics) {

    public static final String MARKETING = "marketing";
    public static final String ALERTS = "alerts";
    public static final Topics DEFAULT = new Topics(List.of(MARKETING, "reminders", ALERTS), "all", Map.of());

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    public Topics {
        names = List.copyOf(names);
        numberTopics = Map.copyOf(numberTopics);
    }

    public static Topics from(Env env) {
        return parse(env.orNull("DRIPLINE_TOPICS"), env.orNull("DRIPLINE_REVOCATION_SCOPE"), env.orNull("DRIPLINE_NUMBER_TOPICS"));
    }

    /** Each part blank: its default. Anything wrong names its variable. */
    public static Topics parse(String topics, String scope, String numbers) {
        List<String> names = new ArrayList<>();
        if (topics == null || topics.isBlank()) {
            names.addAll(DEFAULT.names());
        } else {
            for (String part : topics.split(",")) {
                String n = part.trim().toLowerCase(Locale.ROOT);
                if (!NAME.matcher(n).matches()) {
                    throw new ConfigurationError("DRIPLINE_TOPICS", "DRIPLINE_TOPICS: '" + part.trim()
                            + "' is not a topic name (lower-case letters, digits, - and _, at most 32)");
                }
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
            for (String needed : List.of(MARKETING, ALERTS)) {
                if (!names.contains(needed)) {
                    throw new ConfigurationError("DRIPLINE_TOPICS", "DRIPLINE_TOPICS must include '" + needed
                            + "': messages without a topic take it (marketing: marketing, transactional: alerts)");
                }
            }
        }
        String s = scope == null || scope.isBlank() ? "all" : scope.trim().toLowerCase(Locale.ROOT);
        if (!s.equals("all") && !s.equals("topic")) {
            throw new ConfigurationError("DRIPLINE_REVOCATION_SCOPE", "DRIPLINE_REVOCATION_SCOPE must be all or topic, not '" + scope + "'");
        }
        Map<String, String> byNumber = new LinkedHashMap<>();
        if (numbers != null && !numbers.isBlank()) {
            for (String part : numbers.split(";")) {
                String[] kv = part.split("=", 2);
                String topic = kv.length == 2 ? kv[1].trim().toLowerCase(Locale.ROOT) : "";
                if (kv.length != 2 || !kv[0].trim().matches("\\+[1-9][0-9]{6,14}") || !names.contains(topic)) {
                    throw new ConfigurationError("DRIPLINE_NUMBER_TOPICS", "DRIPLINE_NUMBER_TOPICS: '" + part.trim()
                            + "' is not +E164NUMBER=TOPIC with a topic of DRIPLINE_TOPICS (" + String.join(", ", names) + ")");
                }
                byNumber.put(kv[0].trim(), topic);
            }
        }
        return new Topics(names, s, byNumber);
    }

    /** The topic a message of {@code category} ({@code marketing}, {@code transactional}) has when it names none. */
    public static String defaultFor(String category) {
        return MARKETING.equals(category) ? MARKETING : ALERTS;
    }

    /**
     * The topic a request names, checked against the list, or its category's default when it
     * names none; an unknown one is refused naming {@code field} and the known topics.
     */
    public String resolve(String requested, String category, String field) {
        if (requested == null) {
            return defaultFor(category);
        }
        String t = requested.trim().toLowerCase(Locale.ROOT);
        if (!names.contains(t)) {
            throw InvalidInput.of(field, "'" + requested + "' is not a topic (known: " + String.join(", ", names) + "; DRIPLINE_TOPICS)");
        }
        return t;
    }

    /** The topic of the program a number belongs to, or null when DRIPLINE_NUMBER_TOPICS does not name it. */
    public String ofNumber(String number) {
        return number == null ? null : numberTopics.get(number);
    }
}
