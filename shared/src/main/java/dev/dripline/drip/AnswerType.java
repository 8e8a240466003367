package dev.dripline.drip;

import java.util.Locale;

/**
 * The kinds of answer a step that waits for a reply can save ({@code waitForReply.save.type}),
 * each read by {@link ReplyCapture#read}.
 */
public enum AnswerType {
    /** A whole number, within min/max when given. */
    INTEGER,
    /** A decimal number, within min/max when given. */
    NUMBER,
    /** Any text, at most maxLength characters. */
    TEXT,
    /** Yes or no (also Y/N and Chinese answers such as 是/否), saved as true or false. */
    YESNO,
    /** One of a list, by its text (any case) or its 1-based number, saved as the choice's text. */
    CHOICE;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of a wire name, or null if there is none. */
    static AnswerType fromWire(String wire) {
        for (AnswerType t : values()) {
            if (t.wire().equals(wire)) {
                return t;
            }
        }
        return null;
    }
}
