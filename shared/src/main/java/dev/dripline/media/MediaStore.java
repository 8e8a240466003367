package dev.dripline.media;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where media bytes live, outbound (uploaded with {@code POST /v1/media}) and inbound (fetched from
 * a provider's host with its credentials): an S3 bucket on AWS, a directory (or memory) locally.
 * Callers never see the storage; they hold ids and hand providers a short-lived fetch URL.
 */
public interface MediaStore {

    /** Stores the bytes under a new id and answers what was stored. */
    StoredMedia put(String contentType, byte[] bytes);

    /** What is stored under the id, without its bytes. */
    Optional<StoredMedia> find(String id);

    /** The stored bytes. */
    Optional<byte[]> bytes(String id);

    /** A URL anyone holding it can GET the bytes from until {@code ttl} has passed (a provider fetching outbound media). */
    URI fetchUrl(String id, Duration ttl);

    /** The {@code s3://bucket/key} of stored media, for a provider that fetches from S3 itself (AWS End User Messaging); empty elsewhere. */
    default Optional<String> s3Uri(String id) {
        return Optional.empty();
    }
}
