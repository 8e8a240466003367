package dev.dripline.messaging.encoding;

/**
 * Reads one JSON line of the shape {@code {"text": "...", "smartEncoding": true|false}} straight
 * from UTF-8 bytes, without building a tree: a million lines must go through in well under a
 * second. Full JSON grammar (RFC 8259) is checked, other members are skipped, and anything
 * malformed gives a message naming what is wrong and the column (1-based byte offset).
 */
final class SegmentsRequestParser {

    private static final int MAX_DEPTH = 64;
    private static final char[] TEXT = "text".toCharArray();
    private static final char[] SMART_ENCODING = "smartEncoding".toCharArray();

    /** A malformed line; no stack trace, since malformed input is expected and it never escapes the command. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private byte[] bytes;
    private int pos;
    private int end;
    private int lineStart;
    private char[] chars = new char[512];
    private int charCount;

    private String text;
    private boolean smartEncoding;

    String text() {
        return text;
    }

    boolean smartEncoding() {
        return smartEncoding;
    }

    /** Parses {@code bytes[from, to)}; on success {@link #text()} and {@link #smartEncoding()} hold the request. */
    void parse(byte[] bytes, int from, int to) throws Malformed {
        this.bytes = bytes;
        this.pos = from;
        this.end = to;
        this.lineStart = from;
        this.text = null;
        this.smartEncoding = false;
        boolean smartEncodingSeen = false;

        skipWhitespace();
        if (pos == end) {
            throw new Malformed("empty line");
        }
        expect('{', "expected '{'");
        skipWhitespace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                expect('"', "expected a member name in double quotes");
                readString();
                boolean isText = nameIs(TEXT);
                boolean isSmartEncoding = !isText && nameIs(SMART_ENCODING);
                skipWhitespace();
                expect(':', "expected ':' after a member name");
                skipWhitespace();
                if (isText) {
                    if (text != null) {
                        throw fail("\"text\" appears twice");
                    }
                    if (peek() != '"') {
                        throw fail("\"text\" must be a string");
                    }
                    pos++;
                    readString();
                    text = new String(chars, 0, charCount);
                } else if (isSmartEncoding) {
                    if (smartEncodingSeen) {
                        throw fail("\"smartEncoding\" appears twice");
                    }
                    smartEncodingSeen = true;
                    if (literal("true")) {
                        smartEncoding = true;
                    } else if (!literal("false")) {
                        throw fail("\"smartEncoding\" must be true or false");
                    }
                } else {
                    skipValue(1);
                }
                skipWhitespace();
                int separator = peek();
                pos++;
                if (separator == '}') {
                    break;
                }
                if (separator != ',') {
                    pos--;
                    throw fail("expected ',' or '}'");
                }
                skipWhitespace();
            }
        }
        skipWhitespace();
        if (pos != end) {
            throw fail("unexpected text after the object");
        }
        if (text == null) {
            throw new Malformed("missing \"text\"");
        }
    }

    private Malformed fail(String what) {
        return new Malformed(what + " at column " + (pos - lineStart + 1));
    }

    private int peek() {
        return pos < end ? bytes[pos] & 0xFF : -1;
    }

    private void expect(char c, String what) throws Malformed {
        if (peek() != c) {
            throw fail(what);
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = bytes[pos];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return;
            }
            pos++;
        }
    }

    private boolean literal(String word) {
        int length = word.length();
        if (end - pos < length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += length;
        return true;
    }

    private boolean nameIs(char[] name) {
        if (charCount != name.length) {
            return false;
        }
        for (int i = 0; i < charCount; i++) {
            if (chars[i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private void skipValue(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw fail("nested deeper than " + MAX_DEPTH);
        }
        int c = peek();
        switch (c) {
            case '"' -> {
                pos++;
                readString();
            }
            case '{' -> {
                pos++;
                skipWhitespace();
                if (peek() == '}') {
                    pos++;
                    return;
                }
                while (true) {
                    expect('"', "expected a member name in double quotes");
                    readString();
                    skipWhitespace();
                    expect(':', "expected ':' after a member name");
                    skipWhitespace();
                    skipValue(depth + 1);
                    skipWhitespace();
                    if (peek() == '}') {
                        pos++;
                        return;
                    }
                    expect(',', "expected ',' or '}'");
                    skipWhitespace();
                }
            }
            case '[' -> {
                pos++;
                skipWhitespace();
                if (peek() == ']') {
                    pos++;
                    return;
                }
                while (true) {
                    skipValue(depth + 1);
                    skipWhitespace();
                    if (peek() == ']') {
                        pos++;
                        return;
                    }
                    expect(',', "expected ',' or ']'");
                    skipWhitespace();
                }
            }
            case 't' -> requireLiteral("true");
            case 'f' -> requireLiteral("false");
            case 'n' -> requireLiteral("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    skipNumber();
                } else {
                    throw fail("expected a value");
                }
            }
        }
    }

    private void requireLiteral(String word) throws Malformed {
        if (!literal(word)) {
            throw fail("expected a value");
        }
    }

    private void skipNumber() throws Malformed {
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw fail("invalid number");
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw fail("invalid number");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw fail("invalid number");
            }
        }
    }

    private boolean digits() {
        int start = pos;
        while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
            pos++;
        }
        return pos > start;
    }

    /** Decodes a string body (after its opening quote) into {@code chars}, consuming the closing quote. */
    private void readString() throws Malformed {
        charCount = 0;
        while (true) {
            if (pos >= end) {
                throw fail("unterminated string");
            }
            int b = bytes[pos] & 0xFF;
            if (b == '"') {
                pos++;
                return;
            }
            ensureRoom(2);
            if (b == '\\') {
                readEscape();
            } else if (b < 0x20) {
                throw fail("control character in a string");
            } else if (b < 0x80) {
                chars[charCount++] = (char) b;
                pos++;
            } else {
                readUtf8(b);
            }
        }
    }

    private void readEscape() throws Malformed {
        if (pos + 1 >= end) {
            throw fail("unterminated string");
        }
        int e = bytes[pos + 1];
        char decoded;
        switch (e) {
            case '"' -> decoded = '"';
            case '\\' -> decoded = '\\';
            case '/' -> decoded = '/';
            case 'b' -> decoded = '\b';
            case 'f' -> decoded = '\f';
            case 'n' -> decoded = '\n';
            case 'r' -> decoded = '\r';
            case 't' -> decoded = '\t';
            case 'u' -> {
                // Each \\uXXXX is one UTF-16 unit; a pair written as two escapes rejoins by itself.
                if (pos + 6 > end) {
                    throw fail("invalid \\u escape");
                }
                int value = 0;
                for (int i = pos + 2; i < pos + 6; i++) {
                    int digit = Character.digit(bytes[i], 16);
                    if (digit < 0) {
                        throw fail("invalid \\u escape");
                    }
                    value = value << 4 | digit;
                }
                chars[charCount++] = (char) value;
                pos += 6;
                return;
            }
            default -> throw fail("invalid escape");
        }
        chars[charCount++] = decoded;
        pos += 2;
    }

    private void readUtf8(int lead) throws Malformed {
        int codePoint;
        int length;
        int min;
        if (lead >= 0xC2 && lead <= 0xDF) {
            codePoint = lead & 0x1F;
            length = 2;
            min = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            codePoint = lead & 0x0F;
            length = 3;
            min = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            codePoint = lead & 0x07;
            length = 4;
            min = 0x10000;
        } else {
            throw fail("invalid UTF-8");
        }
        if (pos + length > end) {
            throw fail("invalid UTF-8");
        }
        for (int i = pos + 1; i < pos + length; i++) {
            int continuation = bytes[i] & 0xFF;
            if ((continuation & 0xC0) != 0x80) {
                throw fail("invalid UTF-8");
            }
            codePoint = codePoint << 6 | (continuation & 0x3F);
        }
        if (codePoint < min || codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            throw fail("invalid UTF-8");
        }
        if (length == 4) {
            chars[charCount++] = Character.highSurrogate(codePoint);
            chars[charCount++] = Character.lowSurrogate(codePoint);
        } else {
            chars[charCount++] = (char) codePoint;
        }
        pos += length;
    }

    private void ensureRoom(int more) {
        if (charCount + more > chars.length) {
            chars = java.util.Arrays.copyOf(chars, Math.max(chars.length * 2, charCount + more));
        }
    }
}
