package dev.dripline.messaging.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void answersOneLinePerRequestWithEncodingSegmentsAndUnits() throws IOException {
        List<String> out = run("""
                {"text": "Your code is 123456"}
                {"text": "退订", "smartEncoding": false}
                """);

        assertThat(out).containsExactly(
                "{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":19}",
                "{\"encoding\":\"UCS-2\",\"segments\":1,\"units\":2}");
    }

    @Test
    void smartEncodedTextAppearsOnlyWhenSmartEncodingChangedTheBody() throws IOException {
        String body = "“Your order’s ready” " + "x".repeat(79);
        String request = JSON.writeValueAsString(java.util.Map.of("text", body, "smartEncoding", true));

        List<String> out = run(request + "\n{\"text\":\"It’s here\",\"smartEncoding\":true}\n");

        assertThat(out).containsExactly(
                "{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":100,\"smartEncodedText\":"
                        + "\"\\\"Your order's ready\\\" " + "x".repeat(79) + "\"}",
                "{\"encoding\":\"UCS-2\",\"segments\":1,\"units\":9}");
    }

    @Test
    void malformedLinesGetAnErrorWithTheirLineNumberAndTheStreamGoesOn() throws IOException {
        List<String> out = run("""
                {"text": "one"}
                not json
                {"body": "no text"}

                {"text": 42}
                {"text": "two", "smartEncoding": "yes"}
                {"text": "unterminated}
                {"text": "three"} trailing
                {"text": "last"}""");

        assertThat(out).hasSize(9);
        assertThat(out.get(0)).startsWith("{\"encoding\"");
        assertThat(errorOf(out.get(1))).isEqualTo("expected '{' at column 1 @2");
        assertThat(errorOf(out.get(2))).isEqualTo("missing \"text\" @3");
        assertThat(errorOf(out.get(3))).isEqualTo("empty line @4");
        assertThat(errorOf(out.get(4))).isEqualTo("\"text\" must be a string at column 10 @5");
        assertThat(errorOf(out.get(5))).isEqualTo("\"smartEncoding\" must be true or false at column 34 @6");
        assertThat(errorOf(out.get(6))).isEqualTo("unterminated string at column 24 @7");
        assertThat(errorOf(out.get(7))).isEqualTo("unexpected text after the object at column 19 @8");
        assertThat(out.get(8)).isEqualTo("{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":4}");
    }

    @Test
    void jsonEscapesIncludingSurrogatePairsAreDecoded() throws IOException {
        // "\u00e7" is ç (UCS-2); "\ud83d\ude00" is one emoji, two code units.
        List<String> out = run("""
                {"text": "\\u00e7 \\ud83d\\ude00 \\"q\\" \\\\ \\/ \\n"}
                {"text": "tab\\there"}
                """);

        assertThat(out).containsExactly(
                "{\"encoding\":\"UCS-2\",\"segments\":1,\"units\":14}",
                "{\"encoding\":\"UCS-2\",\"segments\":1,\"units\":8}");
    }

    @Test
    void rawUtf8IncludingFourByteCharactersIsDecoded() throws IOException {
        List<String> out = run("{\"text\": \"😀€\"}\n{\"text\": \"€€\"}\n");

        assertThat(out).containsExactly(
                "{\"encoding\":\"UCS-2\",\"segments\":1,\"units\":3}",
                "{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":4}");
    }

    @Test
    void invalidUtf8IsAnErrorNotAReplacementCharacter() throws IOException {
        byte[] prefix = "{\"text\": \"a".getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[prefix.length + 3];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        line[prefix.length] = (byte) 0xC3;       // a two-byte lead...
        line[prefix.length + 1] = (byte) '"';    // ...without its continuation
        line[prefix.length + 2] = (byte) '}';

        List<String> out = run(new ByteArrayInputStream(line));

        assertThat(errorOf(out.get(0))).isEqualTo("invalid UTF-8 at column 12 @1");
    }

    @Test
    void otherMembersOfAnyShapeAreSkipped() throws IOException {
        List<String> out = run("{\"id\": -1.5e3, \"tags\": [true, null, {\"a\": [\"b\"]}], \"text\": \"hi\", \"x\": {}}\n");

        assertThat(out).containsExactly("{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":2}");
    }

    @Test
    void crLfLineEndingsAreAccepted() throws IOException {
        assertThat(run("{\"text\":\"a\"}\r\n{\"text\":\"b\"}\r\n")).hasSize(2).allMatch(l -> l.contains("GSM-7"));
    }

    @Test
    void smartEncodedTextIsWrittenAsValidJsonWithItsControlCharacters() throws IOException {
        String body = "“Line one”\r\nLine two – done… " + "x".repeat(60);
        String request = JSON.writeValueAsString(java.util.Map.of("text", body, "smartEncoding", true));

        JsonNode answer = JSON.readTree(run(request + "\n").get(0));

        assertThat(answer.get("smartEncodedText").asText()).isEqualTo("\"Line one\"\r\nLine two - done... " + "x".repeat(60));
        assertThat(answer.get("encoding").asText()).isEqualTo("GSM-7");
    }

    @Test
    void aLineLongerThanTheBufferIsAnErrorAndTheNextLineIsStillAnswered() throws IOException {
        String huge = "{\"text\":\"" + "a".repeat(SegmentsCommand.MAX_LINE_BYTES + 10) + "\"}\n";

        List<String> out = run(huge + "{\"text\":\"ok\"}\n");

        assertThat(errorOf(out.get(0))).isEqualTo("line longer than " + SegmentsCommand.MAX_LINE_BYTES + " bytes @1");
        assertThat(out.get(1)).isEqualTo("{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":2}");
    }

    @Test
    void linesSpanningManyReadsAreReassembled() throws IOException {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            input.append("{\"text\":\"").append("a".repeat(i % 400)).append("\"}\n");
        }
        // A stream that hands out at most 7 bytes per read.
        InputStream trickle = new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };

        List<String> out = run(trickle);

        assertThat(out).hasSize(5000);
        for (int i = 0; i < 5000; i++) {
            assertThat(JSON.readTree(out.get(i)).get("units").asInt()).isEqualTo(i % 400);
        }
    }

    @Test
    void returnsTheNumberOfLinesRead() throws IOException {
        OutputStream sink = new ByteArrayOutputStream();
        long lines = SegmentsCommand.run(new ByteArrayInputStream("{\"text\":\"a\"}\n\n{\"text\":\"b\"}".getBytes(StandardCharsets.UTF_8)), sink);

        assertThat(lines).isEqualTo(3);
    }

    private static String errorOf(String line) throws IOException {
        JsonNode node = JSON.readTree(line);
        return node.get("error").asText() + " @" + node.get("line").asLong();
    }

    private static List<String> run(String input) throws IOException {
        return run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> run(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentsCommand.run(in, out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        return text.lines().toList();
    }
}
