package dev.dripline.imports;

import java.util.List;

/**
 * One message of the imports queue: consecutive rows of one import with the file's header, so
 * that it can be processed alone. Sized to stay well under SQS's 256 KB.
 *
 * @param header each column's Dripline name as the header was read ({@code ""}: skipped)
 * @param rows  each row's line in the file and its cells
 * @param sourceHeader the file's own column names (null in chunks queued before it existed)
 */
public record ImportChunk(String importId, int chunk, String actor, List<String> header, List<Line> rows, List<String> sourceHeader) {

    public ImportChunk(String importId, int chunk, String actor, List<String> header, List<Line> rows) {
        this(importId, chunk, actor, header, rows, null);
    }

    public record Line(int line, List<String> cells) {
    }
}
