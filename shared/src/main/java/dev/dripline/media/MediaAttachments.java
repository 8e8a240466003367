package dev.dripline.media;

import dev.dripline.messaging.MessageMedia;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Media on outbound messages: a request's {@code media} resolved to what the message keeps,
 * checked against the limits of the provider that will carry it, the choice between MMS and its
 * fallback, and what a provider is handed at send time.
 */
public final class MediaAttachments {

    /** The most entries a request may name, whatever the provider (Twilio, Plivo, Telnyx: 10). */
    public static final int MAX_ENTRIES = 10;

    /** What becomes of media that cannot go as MMS (a destination or sender without MMS). */
    public enum Fallback {
        /** SMS, the media as a tracked short link to it (the default). */
        LINK,
        /** The message fails with the reason. */
        FAIL;

        /** From the request's {@code mediaFallback}: absent is {@link #LINK}; null for anything else. */
        public static Fallback fromWire(String wire) {
            if (wire == null) {
                return LINK;
            }
            return switch (wire) {
                case "link" -> LINK;
                case "fail" -> FAIL;
                default -> null;
            };
        }
    }

    /** The error code of a message failed because its media could not go as MMS. */
    public static final String NOT_CARRIED = "mms_not_carried";

    /** The short-link target of stored media: resolved to a fresh fetch URL at each click. */
    public static final String LINK_PREFIX = "media:";

    private final java.util.function.Supplier<MediaStore> store;
    private final MediaSettings settings;
    private final Function<String, List<String>> routeFor;

    /**
     * @param store    built on first use (a sender whose messages carry no media never builds an S3 client)
     * @param routeFor the providers a message to a country is tried at, in order
     */
    public MediaAttachments(java.util.function.Supplier<MediaStore> store, MediaSettings settings, Function<String, List<String>> routeFor) {
        this.store = store;
        this.settings = settings;
        this.routeFor = routeFor;
    }

    public MediaSettings settings() {
        return settings;
    }

    /** Each entry resolved (uploaded media by id, a caller's https URL), every wrong one named; empty for none. */
    public List<MessageMedia> resolve(List<MediaInput> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>();
        if (inputs.size() > MAX_ENTRIES) {
            throw InvalidInput.of("media", "has " + inputs.size() + " entries; at most " + MAX_ENTRIES);
        }
        List<MessageMedia> resolved = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            MediaInput in = inputs.get(i);
            String field = "media[" + i + "]";
            if (in == null || (in.url() == null) == (in.id() == null)) {
                errors.add(new FieldError(field, "must have either url or id"));
            } else if (in.id() != null) {
                store.get().find(in.id()).ifPresentOrElse(m -> resolved.add(MessageMedia.stored(m)),
                        () -> errors.add(new FieldError(field + ".id", "no media " + in.id() + " was uploaded")));
            } else if (!httpsUrl(in.url())) {
                errors.add(new FieldError(field + ".url", "must be an absolute https URL"));
            } else {
                resolved.add(MessageMedia.atUrl(in.url(), MediaTypes.guess(in.url()).orElse(null)));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return List.copyOf(resolved);
    }

    /** Refuses (422) media that breaks the limits of the first provider a message to {@code country} is tried at. */
    public void checkLimits(List<MessageMedia> media, String country) {
        if (media.isEmpty()) {
            return;
        }
        List<String> route = routeFor.apply(country);
        if (route.isEmpty()) {
            return;
        }
        List<FieldError> broken = MediaLimits.of(route.get(0)).check(media);
        if (!broken.isEmpty()) {
            throw new InvalidInput(broken);
        }
    }

    /** Whether media to {@code country} from {@code from} can go as MMS. */
    public boolean carried(String country, String from) {
        return settings.carriesMms(country, from);
    }

    /** Why media to {@code country} from {@code from} cannot go as MMS, for the failed message and the logs. */
    public String whyNotCarried(String country, String from) {
        if (from != null && settings.smsOnlySenders().contains(from)) {
            return "the sender number has no MMS (DRIPLINE_SMS_ONLY_SENDERS)";
        }
        return "MMS does not reach " + (country == null ? "this destination" : country.toUpperCase(Locale.ROOT)) + " (it reaches "
                + String.join(", ", settings.countries()) + ")";
    }

    /** Where a fallback short link leads: stored media through a fresh signed URL at each click, a URL as it is. */
    public static String linkTarget(MessageMedia m) {
        return m.id() != null ? LINK_PREFIX + m.id() : m.url();
    }

    /** A short link's target resolved for the redirect: a fetch URL for stored media, anything else as it is. */
    public String redirectTo(String target) {
        if (target.startsWith(LINK_PREFIX)) {
            return store.get().fetchUrl(target.substring(LINK_PREFIX.length()), settings.fetchUrlTtl()).toString();
        }
        return target;
    }

    /** What a provider is handed: fetch URLs signed for {@link MediaSettings#fetchUrlTtl}, and S3 URIs where the store has them. */
    public List<OutboundMedia> outbound(List<MessageMedia> media) {
        if (media == null || media.isEmpty()) {
            return List.of();
        }
        return media.stream().map(m -> m.id() == null ? new OutboundMedia(URI.create(m.url()), null, m.contentType(), m.size())
                : new OutboundMedia(store.get().fetchUrl(m.id(), settings.fetchUrlTtl()), store.get().s3Uri(m.id()).orElse(null), m.contentType(),
                m.size())).toList();
    }

    private static boolean httpsUrl(String url) {
        try {
            URI u = new URI(url);
            return "https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && url.length() <= 2000;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
