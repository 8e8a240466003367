package dev.dripline.keywords;

import java.util.Map;
import java.util.Optional;

/**
 * The built-in texts of keyword replies, by action and language, with the brand filled in.
 * The opt-out confirmation is the one the brief and CTIA ask for: brand, that nothing more
 * will come, and how to come back.
 */
public final class Replies {

    private static final Map<String, String> TEXTS = Map.of(
            "OPT_OUT:en", "{brand}: You are unsubscribed and will receive no more messages. Reply START to resubscribe.",
            "OPT_OUT:zh", "{brand}：您已退订，将不会再收到任何消息。回复START重新订阅。",
            "OPT_IN:en", "{brand}: You are subscribed again. Reply STOP to unsubscribe. Msg&data rates may apply.",
            "OPT_IN:zh", "{brand}：您已成功订阅。回复退订取消订阅。",
            "HELP:en", "{brand}: Reply STOP to unsubscribe. Msg&data rates may apply.",
            "HELP:zh", "{brand}：回复退订取消订阅。可能产生短信和流量费用。");

    private final String brand;
    private final Optional<String> helpText;

    /** @param helpText DRIPLINE_HELP_TEXT, which replaces the English help text */
    public Replies(String brand, Optional<String> helpText) {
        this.brand = brand;
        this.helpText = helpText;
    }

    /** The confirmation of a STOP that revoked one topic: which, and how to stop everything. */
    public String topicOptOut(String topic) {
        return brand + ": You are unsubscribed from " + topic + " messages. Reply START to resubscribe, or STOP ALL to stop every message.";
    }

    /** The reply a rule sends; null when it sends none (a custom rule without a reply). */
    public String textFor(KeywordRule rule) {
        String template = rule.reply();
        if (template == null) {
            KeywordRule.Action action = rule.action() == KeywordRule.Action.CONFIRM ? KeywordRule.Action.OPT_IN : rule.action();
            if (action == KeywordRule.Action.CUSTOM) {
                return null;
            }
            if (action == KeywordRule.Action.HELP && helpText.isPresent() && !"zh".equals(rule.language())) {
                template = helpText.get();
            } else {
                template = TEXTS.getOrDefault(action.name() + ":" + rule.language(), TEXTS.get(action.name() + ":en"));
            }
        }
        return template.replace("{brand}", brand);
    }
}
