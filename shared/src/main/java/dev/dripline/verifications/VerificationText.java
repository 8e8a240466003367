package dev.dripline.verifications;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** The SMS carrying a code, in the recipient's language where we have it (else English). */
final class VerificationText {

    private static final Map<String, String> TEMPLATES = Map.of(
            "en", "{brand}: your verification code is {code}. It expires in {minutes} minutes. Do not share it.",
            "es", "{brand}: tu código de verificación es {code}. Caduca en {minutes} minutos. No lo compartas.",
            "fr", "{brand} : votre code de vérification est {code}. Il expire dans {minutes} minutes. Ne le partagez pas.",
            "de", "{brand}: Ihr Bestätigungscode lautet {code}. Er läuft in {minutes} Minuten ab. Geben Sie ihn nicht weiter.",
            "zh", "{brand}：您的验证码是{code}，{minutes}分钟内有效，请勿泄露。");

    private VerificationText() {
    }

    static String of(String locale, String brand, String code, Duration lifetime) {
        String language = locale == null ? "en" : Locale.forLanguageTag(locale.replace('_', '-')).getLanguage();
        String template = TEMPLATES.getOrDefault(language, TEMPLATES.get("en"));
        long minutes = Math.max(1, (lifetime.toSeconds() + 59) / 60);
        return template.replace("{brand}", brand).replace("{code}", code).replace("{minutes}", Long.toString(minutes));
    }
}
