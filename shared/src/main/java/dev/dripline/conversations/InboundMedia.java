package dev.dripline.conversations;

/**
 * One picture (or clip, or file) an inbound MMS carried, as the provider reported it: where to
 * fetch it from, and what the provider said of it. The bytes are fetched later, with the provider's
 * credentials, from its own media host only ({@code dev.dripline.media.MediaSources}).
 *
 * @param url         the provider's media URL
 * @param contentType the type the provider reported; null when it reports none (Plivo, Vonage):
 *                    the fetch's Content-Type then says
 * @param size        bytes, when reported (Telnyx); null otherwise
 */
public record InboundMedia(String url, String contentType, Long size) {

    /** The longest media URL kept (providers' are well under it; a longer one is refused with the message). */
    public static final int MAX_URL = 2048;

    public InboundMedia {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a media URL is required");
        }
        url = url.trim();
        contentType = contentType == null || contentType.isBlank() ? null : contentType.trim();
    }
}
