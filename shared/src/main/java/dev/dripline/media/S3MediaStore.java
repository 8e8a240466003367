package dev.dripline.media;

import dev.dripline.ids.Ids;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Media in the stack's private bucket (DRIPLINE_MEDIA_BUCKET), one object per media under
 * {@code media/{id}}, its type as the object's Content-Type. Providers fetch it through a
 * presigned GET URL that lasts {@code ttl}; AWS End User Messaging reads it by its {@code s3://} URI.
 */
public final class S3MediaStore implements MediaStore {

    private static final String PREFIX = "media/";
    private static final String STORED_AT = "stored-at";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final Clock clock;

    public S3MediaStore(S3Client s3, S3Presigner presigner, String bucket, Clock clock) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.clock = clock;
    }

    @Override
    public StoredMedia put(String contentType, byte[] bytes) {
        StoredMedia stored = new StoredMedia(Ids.next("med", clock), contentType, bytes.length, clock.instant());
        s3.putObject(r -> r.bucket(bucket).key(PREFIX + stored.id()).contentType(contentType)
                .metadata(Map.of(STORED_AT, stored.storedAt().toString())), RequestBody.fromBytes(bytes));
        return stored;
    }

    @Override
    public Optional<StoredMedia> find(String id) {
        if (!safe(id)) {
            return Optional.empty();
        }
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(PREFIX + id));
            String at = head.metadata().get(STORED_AT);
            return Optional.of(new StoredMedia(id, head.contentType(), head.contentLength(),
                    at != null ? Instant.parse(at) : head.lastModified()));
        } catch (NoSuchKeyException gone) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<byte[]> bytes(String id) {
        if (!safe(id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(PREFIX + id)).asByteArray());
        } catch (NoSuchKeyException gone) {
            return Optional.empty();
        }
    }

    @Override
    public URI fetchUrl(String id, Duration ttl) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(PREFIX + id)))
                .url().toString());
    }

    @Override
    public Optional<String> s3Uri(String id) {
        return Optional.of("s3://" + bucket + "/" + PREFIX + id);
    }

    private static boolean safe(String id) {
        return id != null && id.matches("[A-Za-z0-9_-]{1,64}");
    }
}
