package dev.dripline.media;

import java.time.Instant;

/** One stored media object: its id, declared content type, size in bytes and when it was stored. */
public record StoredMedia(String id, String contentType, long size, Instant storedAt) {
}
