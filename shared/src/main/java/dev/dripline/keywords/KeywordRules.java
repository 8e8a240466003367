package dev.dripline.keywords;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The keywords Dripline acts on: the defaults the law and the carriers require, plus the team's
 * own from DRIPLINE_KEYWORDS. A message matches only when it is just the keyword: trimmed, in
 * any case, with inner spaces collapsed and trailing punctuation ignored ("Stop!" is STOP,
 * "stop sending" is not).
 *
 * <p>DRIPLINE_KEYWORDS is a JSON array of rules:
 * {@code [{"keyword":"WANT100","reply":"{brand}: you're in!","tags":["contest"],"event":"contest_entry"},
 * {"keyword":"ARRET","action":"opt_out","language":"fr","reply":"{brand}: vous êtes désabonné."}]}.
 * {@code action} is custom (default), opt_out, opt_in or help. A rule that names a default keyword
 * is a configuration error: the defaults cannot be removed or redefined.
 */
public final class KeywordRules {

    private static final List<KeywordRule> DEFAULTS = defaults();

    private final Map<String, KeywordRule> rules;

    private KeywordRules(Map<String, KeywordRule> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    public static KeywordRules defaultsOnly() {
        return withCustom(List.of());
    }

    /** The defaults and the rules of DRIPLINE_KEYWORDS; blank means none. */
    public static KeywordRules fromJson(String json) {
        return withCustom(json == null || json.isBlank() ? List.of() : parse(json));
    }

    public static KeywordRules withCustom(List<KeywordRule> custom) {
        Map<String, KeywordRule> all = new LinkedHashMap<>();
        DEFAULTS.forEach(r -> all.put(r.keyword(), r));
        for (KeywordRule rule : custom) {
            String key = normalize(rule.keyword());
            if (key.isEmpty()) {
                throw new IllegalArgumentException("DRIPLINE_KEYWORDS: a rule has an empty keyword");
            }
            KeywordRule previous = all.get(key);
            if (previous != null) {
                throw new IllegalArgumentException("DRIPLINE_KEYWORDS: '" + key + "' is "
                        + (DEFAULTS.contains(previous) ? "a default keyword and cannot be redefined" : "defined twice"));
            }
            all.put(key, new KeywordRule(key, rule.action(), rule.language(), rule.reply(), rule.tags(), rule.event()));
        }
        return new KeywordRules(all);
    }

    /** The rule a message triggers, if the message is just a keyword. */
    public Optional<KeywordRule> match(String body) {
        if (body == null || body.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(rules.get(normalize(body)));
    }

    /** The rule of exactly this keyword (in any case, spacing or trailing punctuation), if there is one. */
    public Optional<KeywordRule> rule(String keyword) {
        return keyword == null ? Optional.empty() : Optional.ofNullable(rules.get(normalize(keyword)));
    }

    /** Whether the keyword is one of the built-in consent and help keywords (STOP, 退订, T, TD, START, HELP, ...). */
    public static boolean isDefault(String keyword) {
        String k = keyword == null ? "" : normalize(keyword);
        return DEFAULTS.stream().anyMatch(r -> r.keyword().equals(k));
    }

    public List<KeywordRule> all() {
        return List.copyOf(rules.values());
    }

    /** Upper case, trimmed (Unicode spaces too), inner whitespace runs as one space, trailing punctuation dropped. */
    static String normalize(String text) {
        String s = text.strip().replaceAll("\\s+", " ");
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!isPunctuation(cp) && !Character.isWhitespace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end).strip().toUpperCase(Locale.ROOT);
    }

    private static boolean isPunctuation(int cp) {
        switch (Character.getType(cp)) {
            case Character.OTHER_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    private static List<KeywordRule> defaults() {
        List<KeywordRule> d = new ArrayList<>();
        for (String k : List.of("STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")) {
            d.add(KeywordRule.builtIn(k, KeywordRule.Action.OPT_OUT, "en"));
        }
        // T and TD are the Chinese carriers' short forms of 退订 (tuì dìng).
        for (String k : List.of("退订", "停止", "T", "TD")) {
            d.add(KeywordRule.builtIn(k, KeywordRule.Action.OPT_OUT, "zh"));
        }
        for (String k : List.of("START", "YES", "UNSTOP")) {
            d.add(KeywordRule.builtIn(k, KeywordRule.Action.OPT_IN, "en"));
        }
        d.add(KeywordRule.builtIn("是", KeywordRule.Action.CONFIRM, "zh"));
        // Text-to-join asks "Reply Y to confirm": Y confirms a pending opt-in only, like 是.
        d.add(KeywordRule.builtIn("Y", KeywordRule.Action.CONFIRM, "en"));
        d.add(KeywordRule.builtIn("HELP", KeywordRule.Action.HELP, "en"));
        d.add(KeywordRule.builtIn("INFO", KeywordRule.Action.HELP, "en"));
        d.add(KeywordRule.builtIn("帮助", KeywordRule.Action.HELP, "zh"));
        return List.copyOf(d);
    }

    private static List<KeywordRule> parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("DRIPLINE_KEYWORDS is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("DRIPLINE_KEYWORDS must be a JSON array of rules");
        }
        List<KeywordRule> rules = new ArrayList<>();
        for (JsonNode r : root) {
            String keyword = r.path("keyword").asText("");
            KeywordRule.Action action;
            try {
                action = KeywordRule.Action.valueOf(r.path("action").asText("custom").trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("DRIPLINE_KEYWORDS: '" + keyword + "' has an unknown action; use custom, opt_out, opt_in or help");
            }
            if (action == KeywordRule.Action.CONFIRM) {
                action = KeywordRule.Action.OPT_IN;
            }
            List<String> tags = new ArrayList<>();
            r.path("tags").forEach(t -> tags.add(t.asText()));
            String reply = r.hasNonNull("reply") ? r.get("reply").asText() : null;
            if (action == KeywordRule.Action.CUSTOM && reply == null && tags.isEmpty() && !r.hasNonNull("event")) {
                throw new IllegalArgumentException("DRIPLINE_KEYWORDS: '" + keyword + "' does nothing: give a reply, tags or an event");
            }
            rules.add(new KeywordRule(keyword, action, r.path("language").asText("en"), reply, tags,
                    r.hasNonNull("event") ? r.get("event").asText() : null));
        }
        return rules;
    }
}
