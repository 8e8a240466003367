package dev.dripline.media;

import java.net.URI;

/**
 * One media as a provider is handed it: a URL it can fetch (a short-lived signed one for stored
 * media), the {@code s3://} URI of stored media where the store is S3 (AWS End User Messaging
 * takes only those; null otherwise), its type and its size (null when unknown).
 */
public record OutboundMedia(URI url, String s3Uri, String contentType, Long size) {
}
