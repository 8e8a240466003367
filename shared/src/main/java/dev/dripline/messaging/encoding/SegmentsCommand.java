package dev.dripline.messaging.encoding;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Counts segments for a stream of JSON lines, one answer line per input line:
 * <pre>
 * in:  {"text": "Your code is 123456"}
 * out: {"encoding":"GSM-7","segments":1,"units":19}
 * in:  {"text": "“Sale” ends tonight… [80 more GSM chars]", "smartEncoding": true}
 * out: {"encoding":"GSM-7","segments":1,"units":102,"smartEncodedText":"\"Sale\" ends tonight... [80 more GSM chars]"}
 * in:  {"body": "hello"}
 * out: {"error":"missing \"text\"","line":3}
 * </pre>
 * {@code smartEncodedText} appears only when smart encoding was applied, that is when it lowered
 * the segment count (here from 2 UCS-2 segments to 1 GSM-7); a malformed line
 * gets an error naming what is wrong and the line number (1-based), and the stream goes on.
 * Memory stays constant: one 1 MiB read buffer (the longest line accepted) and a 64 KiB write buffer.
 */
public final class SegmentsCommand {

    static final int MAX_LINE_BYTES = 1 << 20;

    private SegmentsCommand() {
    }

    /** Processes every line of {@code in}, writes the answers to {@code out} (flushed, not closed); returns the lines read. */
    public static long run(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[MAX_LINE_BYTES];
        SegmentsRequestParser parser = new SegmentsRequestParser();
        JsonLineWriter writer = new JsonLineWriter(out);
        int start = 0;     // first byte of the current line
        int scanned = 0;   // bytes before this index hold no newline of the current line
        int end = 0;       // bytes read so far
        boolean discarding = false; // inside a line longer than the buffer
        long line = 0;
        while (true) {
            int newline = indexOfNewline(buffer, scanned, end);
            if (newline >= 0) {
                if (discarding) {
                    discarding = false;
                } else {
                    answer(parser, writer, buffer, start, newline, ++line);
                }
                start = newline + 1;
                scanned = start;
                continue;
            }
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.length) {
                if (!discarding) {
                    writer.error("line longer than " + MAX_LINE_BYTES + " bytes", ++line);
                    discarding = true;
                }
                end = 0;
            }
            scanned = end;
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                if (end > start && !discarding) {
                    answer(parser, writer, buffer, start, end, ++line);
                }
                break;
            }
            end += read;
        }
        writer.flush();
        return line;
    }

    private static void answer(SegmentsRequestParser parser, JsonLineWriter writer,
                               byte[] buffer, int from, int to, long line) throws IOException {
        try {
            parser.parse(buffer, from, to);
        } catch (SegmentsRequestParser.Malformed e) {
            writer.error(e.getMessage(), line);
            return;
        }
        if (parser.smartEncoding()) {
            OutgoingText outgoing = Segments.prepare(parser.text(), true);
            writer.count(outgoing.count(), outgoing.smartEncoded() ? outgoing.text() : null);
        } else {
            writer.count(Segments.count(parser.text()), null);
        }
    }

    private static int indexOfNewline(byte[] buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** {@code segments} command: JSON lines on standard input, answers on standard output. */
    public static void main(String[] args) throws IOException {
        // Raw descriptors: run() buffers itself, and System.out's PrintStream would lock per write.
        try (InputStream in = new FileInputStream(FileDescriptor.in);
             OutputStream out = new FileOutputStream(FileDescriptor.out)) {
            run(in, out);
        }
    }

    /** Writes the answer lines as UTF-8 JSON into a reused buffer. */
    private static final class JsonLineWriter {
        private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        private final OutputStream out;
        private final byte[] buffer = new byte[1 << 16];
        private int used;

        JsonLineWriter(OutputStream out) {
            this.out = out;
        }

        void count(SegmentCount count, String smartEncodedText) throws IOException {
            ascii("{\"encoding\":\"");
            ascii(count.encoding().label());
            ascii("\",\"segments\":");
            number(count.segments());
            ascii(",\"units\":");
            number(count.units());
            if (smartEncodedText != null) {
                ascii(",\"smartEncodedText\":");
                string(smartEncodedText);
            }
            ascii("}\n");
        }

        void error(String message, long line) throws IOException {
            ascii("{\"error\":");
            string(message);
            ascii(",\"line\":");
            number(line);
            ascii("}\n");
        }

        private void ascii(String s) throws IOException {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                buffer[used++] = (byte) s.charAt(i);
            }
        }

        private void number(long value) throws IOException {
            room(20);
            if (value == 0) {
                buffer[used++] = '0';
                return;
            }
            int digits = 0;
            for (long v = value; v > 0; v /= 10) {
                digits++;
            }
            int at = used + digits;
            for (long v = value; v > 0; v /= 10) {
                buffer[--at] = (byte) ('0' + v % 10);
            }
            used += digits;
        }

        private void string(String s) throws IOException {
            room(1);
            buffer[used++] = '"';
            int length = s.length();
            for (int i = 0; i < length; i++) {
                room(12);
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    buffer[used++] = '\\';
                    buffer[used++] = (byte) c;
                } else if (c < 0x20) {
                    escapeControl(c);
                } else if (c < 0x80) {
                    buffer[used++] = (byte) c;
                } else if (c < 0x800) {
                    buffer[used++] = (byte) (0xC0 | c >> 6);
                    buffer[used++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int codePoint = Character.toCodePoint(c, s.charAt(++i));
                    buffer[used++] = (byte) (0xF0 | codePoint >> 18);
                    buffer[used++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                    buffer[used++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                    buffer[used++] = (byte) (0x80 | codePoint & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    unicodeEscape(c); // a lone surrogate has no UTF-8 form; the escape keeps it
                } else {
                    buffer[used++] = (byte) (0xE0 | c >> 12);
                    buffer[used++] = (byte) (0x80 | c >> 6 & 0x3F);
                    buffer[used++] = (byte) (0x80 | c & 0x3F);
                }
            }
            room(1);
            buffer[used++] = '"';
        }

        private void escapeControl(char c) {
            buffer[used++] = '\\';
            switch (c) {
                case '\n' -> buffer[used++] = 'n';
                case '\r' -> buffer[used++] = 'r';
                case '\t' -> buffer[used++] = 't';
                case '\b' -> buffer[used++] = 'b';
                case '\f' -> buffer[used++] = 'f';
                default -> {
                    used--;
                    unicodeEscape(c);
                }
            }
        }

        private void unicodeEscape(char c) {
            buffer[used++] = '\\';
            buffer[used++] = 'u';
            buffer[used++] = HEX[c >> 12 & 0xF];
            buffer[used++] = HEX[c >> 8 & 0xF];
            buffer[used++] = HEX[c >> 4 & 0xF];
            buffer[used++] = HEX[c & 0xF];
        }

        private void room(int bytes) throws IOException {
            if (used + bytes > buffer.length) {
                out.write(buffer, 0, used);
                used = 0;
            }
        }

        void flush() throws IOException {
            out.write(buffer, 0, used);
            used = 0;
            out.flush();
        }
    }
}
