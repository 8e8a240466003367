package dev.dripline.imports;

import java.util.List;

/**
 * One message of the imports queue: consecutive rows of one import with the file's header, so
 * that it can be processed alone. Sized to stay well under SQS's 256 KB.
 *
 * @param rows  each row's line in the file and its cells
 */
public record ImportChunk(String importId, int chunk, String actor, List<String> header, List<Line> rows) {

    public record Line(int line, List<String> cells) {
    }
}
