package dev.dripline.media;

import dev.dripline.messaging.MessageMedia;
import dev.dripline.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one provider carries in one MMS: how many media, how many bytes in all, which types and
 * how large each may be. Read from each provider's published documentation (the README's Media
 * section names the pages); checked before a message is accepted and again before it is handed over.
 *
 * @param perType the largest file of each type carried (bytes); a type absent is not carried
 */
public record MediaLimits(String provider, int maxCount, long maxTotalBytes, Map<String, Long> perType, String source) {

    public static final long KB = 1024;
    public static final long MB = 1024 * KB;

    /** The largest media any provider takes (Twilio, Plivo: 5 MB): uploads above it are refused. */
    public static final long LARGEST = 5 * MB;

    private static Map<String, Long> every(long max) {
        Map<String, Long> all = new java.util.LinkedHashMap<>();
        MediaTypes.all().forEach(t -> all.put(t, max));
        return all;
    }

    /** The limits of a provider by its name; a provider not listed carries 10 media of up to 5 MB in all. */
    public static MediaLimits of(String provider) {
        return switch (provider) {
            // 10 media, 5 MB with the text; JPEG, PNG, GIF formatted for the handset, other types passed on.
            case "twilio" -> new MediaLimits("twilio", 10, 5 * MB, every(5 * MB),
                    "https://www.twilio.com/docs/messaging/guides/accepted-mime-types");
            case "plivo" -> new MediaLimits("plivo", 10, 5 * MB, every(5 * MB),
                    "https://support.plivo.com/hc/en-us/sections/360008302871-MMS");
            // 10 media URLs; carriers refuse more than 1 MB from a long code (AT&T), the smallest long-code limit in Telnyx's table.
            case "telnyx" -> new MediaLimits("telnyx", 10, MB, every(MB),
                    "https://developers.telnyx.com/docs/messaging/messages/mms-transcoding");
            // Messages API, channel mms: one attachment per message (image, audio, video, vcard, file).
            case "vonage" -> new MediaLimits("vonage", 1, MB, Map.of("image/jpeg", MB, "image/png", MB, "image/gif", MB,
                    "audio/mpeg", MB, "video/mp4", MB, "text/vcard", MB, "application/pdf", MB),
                    "https://developer.vonage.com/en/messages/concepts/mms");
            // Images up to 2 MB each, audio and video up to 600 KB; from S3 only.
            case "aws" -> new MediaLimits("aws", 1, 2 * MB, Map.of("image/jpeg", 2 * MB, "image/png", 2 * MB, "image/gif", 2 * MB,
                    "video/mp4", 600 * KB, "audio/mp4", 600 * KB, "video/3gpp", 600 * KB, "audio/amr", 600 * KB, "audio/mpeg", 600 * KB),
                    "https://docs.aws.amazon.com/sms-voice/latest/userguide/mms-limitations-character.html");
            default -> new MediaLimits(provider, 10, LARGEST, every(LARGEST), "Dripline's simulated carrier");
        };
    }

    /** Each way {@code media} breaks these limits, naming the entry ({@code media[1]}); empty when it fits. */
    public List<FieldError> check(List<MessageMedia> media) {
        List<FieldError> errors = new ArrayList<>();
        if (media.size() > maxCount) {
            errors.add(new FieldError("media", "has " + media.size() + " entries; " + provider + " carries at most " + maxCount
                    + " per message"));
        }
        long total = 0;
        for (int i = 0; i < media.size(); i++) {
            MessageMedia m = media.get(i);
            String field = "media[" + i + "]";
            if (m.contentType() != null && !perType.containsKey(m.contentType())) {
                errors.add(new FieldError(field, "is " + m.contentType() + ", which " + provider + " does not carry over MMS (it carries "
                        + String.join(", ", perType.keySet().stream().sorted().toList()) + ")"));
            } else if (m.contentType() != null && m.size() != null && m.size() > perType.get(m.contentType())) {
                errors.add(new FieldError(field, "is " + m.size() + " bytes; " + provider + " carries " + m.contentType() + " of at most "
                        + perType.get(m.contentType()) + " bytes"));
            }
            total += m.size() == null ? 0 : m.size();
        }
        if (total > maxTotalBytes) {
            errors.add(new FieldError("media", "is " + total + " bytes in all; " + provider + " carries at most " + maxTotalBytes
                    + " bytes per message"));
        }
        return errors;
    }
}
