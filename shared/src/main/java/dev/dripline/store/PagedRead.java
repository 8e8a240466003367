package dev.dripline.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads one page of a list from a DynamoDB Scan or Query (with or without a FilterExpression):
 * at most {@code limit} items, and never more than {@link #MAX_EVALUATED} items evaluated per
 * request, so a selective filter without an index costs a bounded time per page (the page then
 * comes back short, with a cursor). Items come in the order DynamoDB returns them.
 */
public final class PagedRead {

    /** Items a request asks DynamoDB to evaluate at a time. */
    public static final int READ = 500;
    /** Items evaluated per API request before a short page is returned. */
    public static final int MAX_EVALUATED = 5_000;

    /** One DynamoDB response: its items, the key to continue from (null: the end), how many it evaluated. */
    public record Batch(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastKey, int evaluated) {

        public static Batch of(ScanResponse r) {
            return new Batch(r.items(), last(r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null), r.scannedCount());
        }

        public static Batch of(QueryResponse r) {
            return new Batch(r.items(), last(r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null), r.scannedCount());
        }

        private static Map<String, AttributeValue> last(Map<String, AttributeValue> key) {
            return key == null || key.isEmpty() ? null : key;
        }
    }

    private PagedRead() {
    }

    /**
     * @param list     the list's identity (route and filters): its cursors open nowhere else
     * @param keyNames the attributes of a continuation key (table key, plus the index key on an index)
     * @param read     one DynamoDB request from a start key (null: the beginning), asking for at most {@link #READ}
     */
    public static <T> Page<T> page(String list, Set<String> keyNames, int limit, String cursor,
                                   Function<Map<String, AttributeValue>, Batch> read,
                                   Function<Map<String, AttributeValue>, T> map) {
        return page(list, keyNames, limit, cursor, read, item -> true, map);
    }

    /** {@link #page}, keeping only the items {@code keep} accepts (a check DynamoDB cannot make exactly). */
    public static <T> Page<T> page(String list, Set<String> keyNames, int limit, String cursor,
                                   Function<Map<String, AttributeValue>, Batch> read,
                                   java.util.function.Predicate<Map<String, AttributeValue>> keep,
                                   Function<Map<String, AttributeValue>, T> map) {
        Map<String, AttributeValue> at = PageCursor.start(cursor, list, keyNames);
        List<T> out = new ArrayList<>();
        int evaluated = 0;
        while (true) {
            Batch batch = read.apply(at);
            evaluated += Math.max(1, batch.evaluated());
            List<Map<String, AttributeValue>> items = batch.items();
            for (int i = 0; i < items.size(); i++) {
                if (!keep.test(items.get(i))) {
                    continue;
                }
                out.add(map.apply(items.get(i)));
                if (out.size() == limit) {
                    boolean lastOfAll = batch.lastKey() == null && i == items.size() - 1;
                    return new Page<>(out, lastOfAll ? null : PageCursor.encode(list, keyOf(items.get(i), keyNames)));
                }
            }
            at = batch.lastKey();
            if (at == null) {
                return new Page<>(out, null);
            }
            if (evaluated >= MAX_EVALUATED) {
                return new Page<>(out, PageCursor.encode(list, at));
            }
        }
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item, Set<String> names) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String name : names) {
            key.put(name, item.get(name));
        }
        return key;
    }
}
