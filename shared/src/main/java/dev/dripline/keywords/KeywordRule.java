package dev.dripline.keywords;

import java.util.List;

/**
 * What one keyword does when a message is just that keyword.
 *
 * @param keyword  the keyword in its matching form (upper case, single spaces)
 * @param action   opt-out, opt-in, double opt-in confirmation, help, or the team's own
 * @param language the language of the reply ({@code en}, {@code zh}, ...)
 * @param reply    the reply text with {@code {brand}}; null: the built-in text for the action and language
 * @param tags     tags added to the contact
 * @param event    the event emitted for the contact; null for none
 */
public record KeywordRule(String keyword, Action action, String language, String reply, List<String> tags, String event) {

    public enum Action {
        OPT_OUT, OPT_IN,
        /** Confirms a pending double opt-in only (是); for anyone else it is an ordinary reply. */
        CONFIRM,
        HELP, CUSTOM
    }

    public KeywordRule {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    static KeywordRule builtIn(String keyword, Action action, String language) {
        return new KeywordRule(keyword, action, language, null, List.of(), null);
    }
}
