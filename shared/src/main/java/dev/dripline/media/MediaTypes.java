package dev.dripline.media;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The content types media may have (what at least one provider carries over MMS), and how each
 * is recognised from its first bytes, so that an upload declared {@code image/png} is one.
 */
public final class MediaTypes {

    private MediaTypes() {
    }

    /** A type, its file name endings, and whether some bytes are one. */
    private record Kind(String type, List<String> endings, java.util.function.Predicate<byte[]> magic) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("image/jpeg", List.of(".jpg", ".jpeg"), b -> starts(b, 0, 0xFF, 0xD8, 0xFF)),
            new Kind("image/png", List.of(".png"), b -> starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)),
            new Kind("image/gif", List.of(".gif"), b -> starts(b, 0, 'G', 'I', 'F', '8')),
            new Kind("video/mp4", List.of(".mp4"), b -> starts(b, 4, 'f', 't', 'y', 'p')),
            new Kind("video/3gpp", List.of(".3gp"), b -> starts(b, 4, 'f', 't', 'y', 'p')),
            new Kind("audio/mp4", List.of(".m4a"), b -> starts(b, 4, 'f', 't', 'y', 'p')),
            new Kind("audio/mpeg", List.of(".mp3"), b -> starts(b, 0, 'I', 'D', '3') || b.length > 1 && (b[0] & 0xFF) == 0xFF
                    && (b[1] & 0xE0) == 0xE0),
            new Kind("audio/amr", List.of(".amr"), b -> starts(b, 0, '#', '!', 'A', 'M', 'R')),
            new Kind("application/pdf", List.of(".pdf"), b -> starts(b, 0, '%', 'P', 'D', 'F', '-')),
            new Kind("text/vcard", List.of(".vcf"), b -> new String(Arrays.copyOf(b, Math.min(b.length, 64)),
                    java.nio.charset.StandardCharsets.US_ASCII).stripLeading().toUpperCase(Locale.ROOT).startsWith("BEGIN:VCARD")));

    /** Every type any provider carries, in a stable order. */
    public static List<String> all() {
        return KINDS.stream().map(Kind::type).toList();
    }

    /** The type without parameters, lower case ({@code image/JPEG; q=1} is {@code image/jpeg}); {@code image/jpg} is jpeg. */
    public static String normalise(String contentType) {
        if (contentType == null) {
            return null;
        }
        String bare = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return bare.equals("image/jpg") ? "image/jpeg" : bare.equals("text/x-vcard") ? "text/vcard" : bare;
    }

    public static boolean known(String contentType) {
        String t = normalise(contentType);
        return KINDS.stream().anyMatch(k -> k.type().equals(t));
    }

    /** Whether the bytes begin as the type's files do (JPEG: FF D8 FF; PNG: 89 PNG; MP4: ftyp at 4...). */
    public static boolean matches(String contentType, byte[] bytes) {
        String t = normalise(contentType);
        return KINDS.stream().filter(k -> k.type().equals(t)).anyMatch(k -> k.magic().test(bytes));
    }

    /**
     * The type its first bytes say ({@code application/octet-stream} uploads): the first kind whose
     * signature matches; for an ISO media file ({@code ftyp} at 4) its brand tells 3GPP video
     * ({@code 3gp..}) and MPEG-4 audio ({@code M4A }) from MPEG-4 video.
     */
    public static Optional<String> recognise(byte[] bytes) {
        if (bytes == null) {
            return Optional.empty();
        }
        if (starts(bytes, 4, 'f', 't', 'y', 'p') && bytes.length >= 12) {
            String brand = new String(bytes, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
            return Optional.of(brand.startsWith("3gp") ? "video/3gpp" : brand.equals("M4A ") ? "audio/mp4" : "video/mp4");
        }
        return KINDS.stream().filter(k -> k.magic().test(bytes)).map(Kind::type).findFirst();
    }

    /** A type guessed from a URL's path ending ({@code .../cat.png} is {@code image/png}); empty when it says nothing. */
    public static Optional<String> guess(String url) {
        String path = url == null ? "" : url.split("[?#]", 2)[0].toLowerCase(Locale.ROOT);
        return KINDS.stream().filter(k -> k.endings().stream().anyMatch(path::endsWith)).map(Kind::type).findFirst();
    }

    private static boolean starts(byte[] bytes, int at, int... expected) {
        if (bytes.length < at + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[at + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
