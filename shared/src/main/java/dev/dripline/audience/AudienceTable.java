package dev.dripline.audience;

import dev.dripline.store.TableShape;
import java.util.List;

/**
 * The audience table: items that group or describe many contacts, under a partition key
 * {@code pk} and a sort key {@code sk}.
 * <ul>
 *   <li>tag memberships: {@code tag#<tag>} / contact id, written in the transaction that tags or
 *       untags the contact, so that a tag filter is a Query;</li>
 *   <li>segments: {@code seg_...} / {@code segment};</li>
 *   <li>imports: {@code imp_...} / {@code import} (counters), and their stored row errors
 *       {@code imp_...} / {@code error#<row>#<n>}.</li>
 * </ul>
 */
public final class AudienceTable {

    public static final String PK = "pk";
    public static final String SK = "sk";

    private AudienceTable() {
    }

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, PK, SK, List.of(), null);
    }

    public static String tagKey(String tag) {
        return "tag#" + tag;
    }
}
