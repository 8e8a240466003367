package dev.dripline.audience;

import java.time.Instant;

/**
 * A saved filter over tags and attributes.
 *
 * @param filter     the filter as it was given (JSON)
 * @param evaluation how its contacts are found: {@code query:tag#<tag>} (a Query of a tag's
 *                   memberships, then the rest of the filter on those contacts) or {@code scan}
 *                   (a paged Scan of the contacts with a FilterExpression)
 */
public record Segment(String id, String name, Object filter, String evaluation, Instant createdAt) {
}
