package dev.dripline.media;

import dev.dripline.errors.InvalidInput;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /v1/media}: bytes checked before they are stored: a type some provider carries, no
 * larger than the largest MMS any provider takes, and content that is what its type says (by
 * its first bytes: a JPEG starts FF D8 FF, a PNG 89 50 4E 47...).
 */
public final class MediaUploads {

    /** Uploaded media as the API shows it: {@code url} fetches the bytes until it expires. */
    public record Described(String id, URI url, String contentType, long size) {
    }

    /** Why an upload is refused, with the HTTP status it maps to (413, 415 or 422). */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String field;

        Refused(int status, String field, String message) {
            super(message);
            this.status = status;
            this.field = field;
        }

        public int status() {
            return status;
        }

        public String field() {
            return field;
        }
    }

    private final MediaStore store;
    private final Duration ttl;

    public MediaUploads(MediaStore store, MediaSettings settings) {
        this.store = store;
        this.ttl = settings.fetchUrlTtl();
    }

    /** The declared type of bytes of no particular type: their type is then read from the bytes. */
    public static final String OCTET_STREAM = "application/octet-stream";

    public Described upload(String declaredType, byte[] bytes) {
        String type = MediaTypes.normalise(declaredType);
        if (OCTET_STREAM.equals(type) && bytes != null && bytes.length > 0) {
            // Bytes of no declared type (what generated clients send for a binary body): the type is what the bytes say.
            type = MediaTypes.recognise(bytes).orElseThrow(() -> new Refused(415, "Content-Type", "is " + OCTET_STREAM
                    + " and the bytes are none of the types providers carry; give the file's own type, one of "
                    + String.join(", ", MediaTypes.all())));
        }
        if (type == null || type.isEmpty() || !MediaTypes.known(type)) {
            throw new Refused(415, "Content-Type", (type == null || type.isEmpty() ? "is missing" : "is " + type + ", which no provider carries")
                    + "; give one of " + String.join(", ", MediaTypes.all()));
        }
        if (bytes == null || bytes.length == 0) {
            throw new Refused(422, "body", "is empty: send the file's bytes as the body");
        }
        if (bytes.length > MediaLimits.LARGEST) {
            throw new Refused(413, "body", "has " + bytes.length + " bytes; the largest MMS any provider carries is " + MediaLimits.LARGEST);
        }
        if (!MediaTypes.matches(type, bytes)) {
            throw new Refused(422, "body", "is not " + type + " (its first bytes are not those of a " + type + " file)");
        }
        StoredMedia stored = store.put(type, bytes);
        return describe(stored);
    }

    public Optional<Described> find(String id) {
        return store.find(id).map(this::describe);
    }

    private Described describe(StoredMedia m) {
        return new Described(m.id(), store.fetchUrl(m.id(), ttl), m.contentType(), m.size());
    }

    /** For callers that map refusals themselves. */
    public static InvalidInput asInvalidInput(Refused r) {
        return InvalidInput.of(r.field(), r.getMessage());
    }
}
