package dev.dripline.api;

import dev.dripline.errors.FieldError;
import dev.dripline.signup.SignupForm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML of a sign-up page: one real form that works without JavaScript (there is none), every
 * input with its label, errors listed at the top in an alert that links to each field and repeated
 * next to the field it belongs to (aria-describedby, aria-invalid), the consent text as the label
 * of its required checkbox. Everything that comes from a form's definition or a submission is
 * escaped. The one style sheet is inline and allowed by its hash in the page's policy.
 */
final class JoinPage {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;"
            + "color:#1a1a1a}label{display:block;font-weight:600;margin-top:1rem}input[type=text],input[type=tel],input[type=email]"
            + "{display:block;width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #555;border-radius:4px}"
            + ".consent{display:flex;gap:.5rem;align-items:flex-start;margin-top:1.5rem}.consent label{font-weight:400;margin:0}"
            + ".error{color:#b00020;font-weight:600;margin:.25rem 0 0}[aria-invalid=true]{border-color:#b00020;border-width:2px}"
            + ".summary{border:2px solid #b00020;padding:.5rem 1rem;margin-bottom:1rem}"
            + "button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}.hint{color:#444;font-size:.9rem;margin:0}";
    /** The page's Content-Security-Policy: nothing but its own hashed style; the form posts only to this origin. */
    static final String POLICY = "default-src 'none'; style-src '" + hash(STYLE) + "'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private JoinPage() {
    }

    /** The form, with what was typed and its errors when a submission is re-shown. */
    static String form(SignupForm form, Map<String, String> typed, List<FieldError> errors) {
        Map<String, String> byField = new LinkedHashMap<>();
        errors.forEach(e -> byField.merge(e.field(), e.message(), (a, b) -> a + " " + b));
        StringBuilder h = head(errors.isEmpty() ? form.name() : "Error: " + form.name());
        h.append("<h1>").append(esc(form.name())).append("</h1>\n");
        if (!errors.isEmpty()) {
            // Announced at once (role=alert) and focusable from the links: each error leads to its field.
            h.append("<div class=\"summary\" role=\"alert\" aria-labelledby=\"summary-title\">\n<h2 id=\"summary-title\">There ")
                    .append(byField.size() == 1 ? "is a problem" : "are " + byField.size() + " problems").append("</h2>\n<ul>\n");
            byField.forEach((field, message) -> h.append("<li><a href=\"#").append(id(field)).append("\">").append(esc(message))
                    .append("</a></li>\n"));
            h.append("</ul>\n</div>\n");
        }
        h.append("<form method=\"post\" action=\"").append(esc(form.id())).append("\" accept-charset=\"UTF-8\">\n");
        h.append("<input type=\"hidden\" name=\"version\" value=\"").append(form.version()).append("\">\n");
        input(h, "phone", "Mobile phone number", "tel", "tel", true, typed.get("phone"), byField.get("phone"),
                "We text this number to confirm, such as (415) 555-0123 or +44 7700 900123.");
        for (SignupForm.Field f : form.fields()) {
            String type = f.name().equals("email") ? "email" : "text";
            String complete = switch (f.name()) {
                case "firstName" -> "given-name";
                case "lastName" -> "family-name";
                case "email" -> "email";
                case "zip" -> "postal-code";
                default -> "off";
            };
            input(h, f.name(), f.label() + (f.required() ? "" : " (optional)"), type, complete, f.required(), typed.get(f.name()),
                    byField.get(f.name()), null);
        }
        boolean consentError = byField.containsKey("consent");
        h.append("<div class=\"consent\">\n<input type=\"checkbox\" id=\"f-consent\" name=\"consent\" value=\"yes\" required aria-required=\"true\"");
        if (consentError) {
            h.append(" aria-invalid=\"true\" aria-describedby=\"f-consent-error\"");
        }
        h.append(">\n<label for=\"f-consent\">").append(esc(form.consentText())).append("</label>\n</div>\n");
        if (consentError) {
            h.append("<p class=\"error\" id=\"f-consent-error\">").append(esc(byField.get("consent"))).append("</p>\n");
        }
        if (form.keyword() != null) {
            h.append("<p class=\"hint\">Prefer to text? Send ").append(esc(form.keyword())).append(" to join.</p>\n");
        }
        h.append("<button type=\"submit\">Sign up</button>\n</form>\n");
        return h.append("</main>\n</body>\n</html>\n").toString();
    }

    /** After a valid submission: the same words whatever the number's consent, so the page tells nobody about a number. */
    static String thanks(SignupForm form) {
        StringBuilder h = head("Check your phone: " + form.name());
        h.append("<h1>Check your phone</h1>\n<p role=\"status\">Thank you. If this number can receive our texts, we have sent it a message: "
                + "reply <strong>Y</strong> to confirm your sign-up. If you replied STOP to us before, text START first.</p>\n");
        return h.append("</main>\n</body>\n</html>\n").toString();
    }

    /** A limit reached: what happened and when to try again. */
    static String limited(String message, long retryAfterSeconds) {
        StringBuilder h = head("Too many sign-ups");
        h.append("<h1>Too many sign-ups</h1>\n<p role=\"alert\">").append(esc(message)).append(" Please try again in about ")
                .append(Math.max(1, (retryAfterSeconds + 59) / 60)).append(" minutes.</p>\n");
        return h.append("</main>\n</body>\n</html>\n").toString();
    }

    static String notFound() {
        StringBuilder h = head("Sign-up form not found");
        h.append("<h1>Sign-up form not found</h1>\n<p>This sign-up form does not exist or has been removed.</p>\n");
        return h.append("</main>\n</body>\n</html>\n").toString();
    }

    private static void input(StringBuilder h, String name, String label, String type, String autocomplete, boolean required,
                              String value, String error, String hint) {
        String id = id(name);
        h.append("<label for=\"").append(id).append("\">").append(esc(label)).append("</label>\n");
        String describedBy = (hint != null ? id + "-hint" : "") + (error != null ? (hint != null ? " " : "") + id + "-error" : "");
        if (hint != null) {
            h.append("<p class=\"hint\" id=\"").append(id).append("-hint\">").append(esc(hint)).append("</p>\n");
        }
        h.append("<input type=\"").append(type).append("\" id=\"").append(id).append("\" name=\"").append(esc(name))
                .append("\" autocomplete=\"").append(autocomplete).append('"');
        if (type.equals("tel")) {
            h.append(" inputmode=\"tel\"");
        }
        if (required) {
            h.append(" required aria-required=\"true\"");
        }
        if (value != null && !value.isEmpty()) {
            h.append(" value=\"").append(esc(value)).append('"');
        }
        if (error != null) {
            h.append(" aria-invalid=\"true\"");
        }
        if (!describedBy.isEmpty()) {
            h.append(" aria-describedby=\"").append(describedBy).append('"');
        }
        h.append(">\n");
        if (error != null) {
            h.append("<p class=\"error\" id=\"").append(id).append("-error\">").append(esc(error)).append("</p>\n");
        }
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(4096).append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>")
                .append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
    }

    /** Field names are checked at creation (letters, digits, _), so the id is the name. */
    private static String id(String field) {
        return "f-" + field.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String hash(String text) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
