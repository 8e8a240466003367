package dev.dripline.messaging;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a marketing message must carry, added to the body as written: the brand first ("Acme: ...")
 * unless it starts with it, opt-out instructions last unless it has them ("Reply STOP to opt
 * out", or "回T退订" for a Chinese body), and each link replaced by a per-recipient short link.
 * Segments and cost are counted on the result.
 */
public final class MarketingText {

    public static final String OPT_OUT = "Reply STOP to opt out";
    public static final String OPT_OUT_CHINESE = "回T退订";

    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern HAS_OPT_OUT = Pattern.compile("(?i)\\b(stop|unsubscribe|optout)\\b|退订|回T|回TD");
    private static final Pattern CJK = Pattern.compile("[\\u4E00-\\u9FFF\\u3400-\\u4DBF]");

    private MarketingText() {
    }

    /** @param shorten a link's target → its short URL */
    public static String render(String body, String brand, UnaryOperator<String> shorten) {
        return render(body, brand, shorten, true);
    }

    /**
     * @param optOutText whether to add opt-out instructions (a campaign adds them to the first
     *                   marketing message a contact receives from it, not to every one)
     */
    public static String render(String body, String brand, UnaryOperator<String> shorten, boolean optOutText) {
        String text = shortenLinks(body, shorten);
        // A 【brand】 signature (China's rule, added by compliance.RequiredTexts) is the brand already.
        if (brand != null && !brand.isBlank() && !text.regionMatches(true, 0, brand, 0, brand.length()) && !text.startsWith("【")) {
            text = brand + ": " + text;
        }
        if (optOutText && !HAS_OPT_OUT.matcher(text).find()) {
            text = CJK.matcher(text).find() ? text + " " + OPT_OUT_CHINESE : text + " " + OPT_OUT;
        }
        return text;
    }

    static String shortenLinks(String body, UnaryOperator<String> shorten) {
        Matcher m = URL.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String url = m.group();
            // Sentence punctuation after a link is not part of it.
            int end = url.length();
            while (end > 0 && ".,;:!?)]'".indexOf(url.charAt(end - 1)) >= 0) {
                end--;
            }
            String target = url.substring(0, end);
            m.appendReplacement(out, Matcher.quoteReplacement(shorten.apply(target) + url.substring(end)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
