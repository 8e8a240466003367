package dev.dripline.keywords;

import dev.dripline.config.Env;
import java.util.Optional;

/**
 * Keyword replies: the HELP text (DRIPLINE_HELP_TEXT; absent: the built-in one with the brand)
 * and the team's own keywords as JSON (DRIPLINE_KEYWORDS, read by {@code KeywordRules}).
 */
public record ReplySettings(Optional<String> helpText, String keywordsJson) {

    public static ReplySettings from(Env env) {
        return new ReplySettings(Optional.ofNullable(env.asMap().get("DRIPLINE_HELP_TEXT")).filter(t -> !t.isBlank()),
                env.string("DRIPLINE_KEYWORDS", ""));
    }
}
