package dev.dripline.imports;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes (a quote doubled inside),
 * quoted fields may hold commas and line breaks, lines end in CRLF or LF. A UTF-8 byte-order
 * mark at the start is ignored. Blank lines are skipped.
 */
final class Csv {

    /** A record and the line of the file it starts on (1-based; the header is line 1). */
    record Record(int line, List<String> cells) {
    }

    static final class Malformed extends RuntimeException {
        final int line;

        Malformed(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private Csv() {
    }

    static List<Record> parse(String text) {
        List<Record> records = new ArrayList<>();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int n = text.length();
        int line = 1;
        while (i < n) {
            int startLine = line;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            boolean endOfRecord = false;
            while (i < n && !endOfRecord) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            cell.append('"');
                            i += 2;
                            continue;
                        }
                        quoted = false;
                        i++;
                        continue;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                    i++;
                    continue;
                }
                switch (c) {
                    case '"' -> {
                        if (cell.length() > 0 || wasQuoted) {
                            throw new Malformed(line, "a quote inside an unquoted field (quote the whole field and double the quote)");
                        }
                        quoted = true;
                        wasQuoted = true;
                        i++;
                    }
                    case ',' -> {
                        cells.add(cell.toString());
                        cell.setLength(0);
                        wasQuoted = false;
                        i++;
                    }
                    case '\r' -> i++;
                    case '\n' -> {
                        endOfRecord = true;
                        line++;
                        i++;
                    }
                    default -> {
                        if (wasQuoted) {
                            throw new Malformed(line, "text after a closing quote");
                        }
                        cell.append(c);
                        i++;
                    }
                }
            }
            if (quoted) {
                throw new Malformed(startLine, "a quoted field is never closed");
            }
            cells.add(cell.toString());
            if (!(cells.size() == 1 && cells.get(0).isBlank())) {
                records.add(new Record(startLine, cells));
            }
        }
        return records;
    }
}
