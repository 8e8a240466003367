package dev.dripline.media;

import dev.dripline.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Media and MMS.
 *
 * @param bucket         DRIPLINE_MEDIA_BUCKET: the S3 bucket media is kept in on AWS; absent: a
 *                       directory (DRIPLINE_DATA_DIR/media) or memory
 * @param fetchUrlTtl    DRIPLINE_MEDIA_URL_TTL: how long a provider's fetch URL works (default 1 h)
 * @param mmsCountries   DRIPLINE_MMS_COUNTRIES: destinations MMS reaches (default US,CA); media to
 *                       any other falls back as the message's {@code mediaFallback} says
 * @param smsOnlySenders DRIPLINE_SMS_ONLY_SENDERS: sender numbers without MMS (a message from one
 *                       falls back too)
 */
public record MediaSettings(Optional<String> bucket, Duration fetchUrlTtl, Set<String> mmsCountries, Set<String> smsOnlySenders) {

    public static MediaSettings from(Env env) {
        return new MediaSettings(env.optional("DRIPLINE_MEDIA_BUCKET"),
                env.duration("DRIPLINE_MEDIA_URL_TTL", Duration.ofHours(1)),
                env.list("DRIPLINE_MMS_COUNTRIES", "US,CA").stream().map(c -> c.toUpperCase(Locale.ROOT)).collect(Collectors.toSet()),
                Set.copyOf(env.list("DRIPLINE_SMS_ONLY_SENDERS", "")));
    }

    public static MediaSettings defaults() {
        return new MediaSettings(Optional.empty(), Duration.ofHours(1), Set.of("US", "CA"), Set.of());
    }

    /** Whether a message to {@code country} from {@code from} (null: not chosen yet) can carry media. */
    public boolean carriesMms(String country, String from) {
        return country != null && mmsCountries.contains(country.toUpperCase(Locale.ROOT)) && (from == null || !smsOnlySenders.contains(from));
    }

    List<String> countries() {
        return mmsCountries.stream().sorted().toList();
    }
}
