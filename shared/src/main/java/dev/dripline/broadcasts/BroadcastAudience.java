package dev.dripline.broadcasts;

import dev.dripline.audience.Audience;
import dev.dripline.audience.SegmentFilter;
import dev.dripline.errors.InvalidInput;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Who a broadcast goes to: {@code {tags: [..]}} (all of them), {@code {anyTags: [..]}}, or {@code {segmentId}}. */
final class BroadcastAudience {

    private final Audience audience;

    BroadcastAudience(Audience audience) {
        this.audience = audience;
    }

    SegmentFilter filter(Map<?, ?> a) {
        if (a == null) {
            throw InvalidInput.of("audience", "is required: {tags: [...]}, {anyTags: [...]} or {segmentId}");
        }
        if (a.get("segmentId") instanceof String seg) {
            return SegmentFilter.parse(audience.segment(seg).filter());
        }
        boolean any = a.containsKey("anyTags");
        Object tags = any ? a.get("anyTags") : a.get("tags");
        if (tags instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(t -> t instanceof String s && !s.isBlank())) {
            List<SegmentFilter> parts = list.stream().map(t -> (SegmentFilter) new SegmentFilter.HasTag(((String) t).trim())).toList();
            return parts.size() == 1 ? parts.get(0) : any ? new SegmentFilter.Any(parts) : new SegmentFilter.All(parts);
        }
        throw InvalidInput.of("audience", "must be {tags: [...]}, {anyTags: [...]} or {segmentId}, with at least one tag");
    }

    /** A page of the contacts the filter matches. */
    Audience.Page page(SegmentFilter filter, int size, String cursor) {
        return audience.matching(filter, size, cursor);
    }

    /** The audience's size now, if it can be counted quickly (tag audiences; scans are counted as the broadcast runs). */
    Long count(SegmentFilter filter) {
        if (!(filter instanceof SegmentFilter.HasTag)) {
            return null;
        }
        long n = 0;
        String cursor = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        do {
            Audience.Page page = audience.matching(filter, 500, cursor);
            n += page.items().size();
            cursor = page.nextCursor();
            if (System.nanoTime() > deadline) {
                return null;
            }
        } while (cursor != null);
        return n;
    }
}
