package dev.dripline.media;

/**
 * One entry of a request's {@code media}: a public {@code https} URL the provider fetches, or the
 * id of media uploaded with {@code POST /v1/media} ({@code med_...}). Exactly one of the two.
 */
public record MediaInput(String url, String id) {
}
