package dev.dripline.audience;

/** For tests in other packages: a filter parsed as POST /v1/segments parses it (throws InvalidInput). */
public final class SegmentFilterAccess {

    private SegmentFilterAccess() {
    }

    public static SegmentFilter parse(Object json) {
        return SegmentFilter.parse(json);
    }
}
