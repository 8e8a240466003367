package dev.dripline.store;

import java.util.List;

/**
 * One page of a list: at most {@code limit} items, and the cursor of the next page (null on the
 * last). A page read with a filter that has no index may hold fewer items than the limit, even
 * none, while {@code nextCursor} is not null: follow the cursor until it is null.
 */
public record Page<T>(List<T> items, String nextCursor) {
}
