package dev.dripline.bench;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes N JSON lines for the segments command to standard output: short and long, GSM-7 and
 * UCS-2 bodies, half of them with smart encoding, JSON escapes, and about 1% malformed lines.
 * Deterministic (fixed seed), so two runs are comparable.
 * <pre>java -cp bench/target/dripline-bench.jar dev.dripline.bench.SegmentsInput 1000000 &gt; in.jsonl</pre>
 */
public final class SegmentsInput {

    private static final List<String> BODIES = List.of(
            "Hi Anna, your order #48213 has shipped! Track it: https://dl.ink/x7Kq2 Reply STOP to opt out",
            "Your code is 482913. It expires in 10 minutes.",
            "Reminder: tomorrow 10:30 with Dr. Müller. Reply C to confirm or R to reschedule. {ref: [A-1]} €5 fee",
            "“Flash sale” – 20% off everything today… Use code SAVE20. Don’t miss it! Reply STOP to opt out, it’s free",
            "您的验证码是482913，10分钟内有效。回复退订停止接收。",
            "Your order shipped! 📦 Track it here: https://dl.ink/x7Kq2 😀 👍🏽 👨‍👩‍👧",
            "Siparişiniz kargoya verildi, teşekkürler! Çok yakında kapınızda.",
            "Line one\r\nLine two with a \"quote\" and a back\\slash\tand a tab",
            "Happy birthday 🎂🎉 here's 15% off: BDAY15 🇫🇷🇩🇪");

    private static final List<String> MALFORMED = List.of(
            "{\"txt\": \"no text member\"}",
            "{\"text\": 42}",
            "not json at all",
            "{\"text\": \"unterminated}",
            "");

    private SegmentsInput() {
    }

    public static void main(String[] args) throws IOException {
        long lines = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        SplittableRandom random = new SplittableRandom(20261122);
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16)) {
            StringBuilder line = new StringBuilder(4096);
            for (long i = 0; i < lines; i++) {
                line.setLength(0);
                if (random.nextInt(100) == 0) {
                    line.append(MALFORMED.get(random.nextInt(MALFORMED.size())));
                } else {
                    String body = BODIES.get(random.nextInt(BODIES.size()));
                    int copies = random.nextInt(10) == 0 ? 1 + random.nextInt(12) : 1; // some long bodies
                    line.append("{\"text\": \"");
                    for (int c = 0; c < copies; c++) {
                        escape(body, line, random.nextInt(4) == 0);
                    }
                    line.append("\", \"smartEncoding\": ").append(random.nextBoolean()).append('}');
                }
                line.append('\n');
                out.write(line.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void escape(String body, StringBuilder json, boolean escapeNonAscii) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c > 0x7E && escapeNonAscii) {
                        json.append(String.format("\\u%04x", (int) c)); // surrogate pairs as two escapes
                    } else {
                        json.append(c);
                    }
                }
            }
        }
    }
}
