package dev.dripline.bench;

import dev.dripline.messaging.encoding.BodyAnalysis;
import dev.dripline.messaging.encoding.SegmentCount;
import dev.dripline.messaging.encoding.Segments;
import dev.dripline.messaging.encoding.SmsEncoding;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Segment counting and analysis, one body per operation. Each benchmark cycles through eight
 * different bodies so neither the JIT nor the branch predictor sees one constant string.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SegmentsBenchmark {

    private static final int MASK = 7;

    private final String[] shortGsm = bodies(List.of(
            "Hi Anna, your order #48213 has shipped! Track it: https://dl.ink/x7Kq2 Reply STOP to opt out",
            "Your Dripline code is 482913. It expires in 10 minutes. Don't share it with anyone.",
            "Reminder: your appointment is tomorrow at 10:30 with Dr. Müller. Reply C to confirm or R to reschedule.",
            "Flash sale! 20% off everything today only. Use code SAVE20 at checkout. Reply STOP to opt out",
            "Thanks for your order, Jürgen! We'll text you when it's on its way.",
            "¡Hola Ñuño! Tu pedido ya se puede recoger en la tienda de Göteborg.",
            "How was your visit? Reply 1-5 to rate us. Reply STOP to unsubscribe.",
            "Your table for 4 is booked for Friday 19:00 @ Café Élise. See you then!"));

    private final String[] shortUcs2 = bodies(List.of(
            "您的验证码是482913，10分钟内有效。回复退订停止接收。",
            "Your order shipped! 📦 Track it here: https://dl.ink/x7Kq2 😀",
            "Siparişiniz kargoya verildi, teşekkürler! Çok yakında kapınızda.",
            "Seu pedido foi enviado! Obrigado pela preferência, João.",
            "Ваш заказ отправлен. Спасибо за покупку!",
            "Happy birthday 🎂🎉 here's 15% off: BDAY15 👍🏽",
            "预约提醒：明天上午10:30。回复C确认，回复R改期。",
            "Your code: 123456 ✅ Don’t share it."));

    // The longest single-part bodies: exactly 160 GSM-7 chars.
    private final String[] fullGsm = bodies(List.of(
            repeatTo(shortGsm(0) + " ", 160), repeatTo(shortGsm(1) + " ", 160),
            repeatTo(shortGsm(2) + " ", 160), repeatTo(shortGsm(3) + " ", 160),
            repeatTo(shortGsm(4) + " ", 160), repeatTo(shortGsm(5) + " ", 160),
            repeatTo(shortGsm(6) + " ", 160), repeatTo(shortGsm(7) + " ", 160)));

    private final String[] longGsm = bodies(List.of(
            repeatTo(shortGsm(0) + " ", 1000), repeatTo(shortGsm(1) + " ", 1000),
            repeatTo(shortGsm(2) + " [x] ", 1000), repeatTo(shortGsm(3) + " ", 1000),
            repeatTo(shortGsm(4) + " {€} ", 1000), repeatTo(shortGsm(5) + " ", 1000),
            repeatTo(shortGsm(6) + " ", 1000), repeatTo(shortGsm(7) + " ", 1000)));

    private final String[] longUcs2 = bodies(List.of(
            repeatTo(shortUcs2(0), 1000), repeatTo(shortUcs2(1) + " ", 1000),
            repeatTo(shortUcs2(2) + " ", 1000), repeatTo(shortUcs2(3) + " ", 1000),
            repeatTo(shortUcs2(4) + " ", 1000), repeatTo(shortUcs2(5) + " ", 1000),
            repeatTo(shortUcs2(6), 1000), repeatTo(shortUcs2(7) + " ", 1000)));

    private final String[] smart = bodies(List.of(
            "“Flash sale” – 20% off everything today… Use code SAVE20 at checkout. Don’t miss it! Reply STOP to opt out",
            "Hi Anna, it’s your last chance: your cart’s still waiting — come back for 10% off… Reply STOP to opt out.",
            "Your appointment’s tomorrow at 10:30 – reply “C” to confirm or “R” to reschedule. See you soon!",
            "We’ve got news: our spring collection is live • free shipping • easy returns… Reply STOP to opt out",
            "Thanks for your order, Jürgen! We’ll text you when it’s on its way — usually within 2 days.",
            "Hi Ñuño, your table’s booked for Friday 19:00 @ Café Zoë – see you then! Questions? Just reply.",
            "Your Dripline code is 482913. It expires in 10 minutes. Don’t share it with anyone — ever.",
            "“Birthday treat” for you: 15% off with code BDAY15… valid until Sunday. Reply STOP to opt out."));

    private int next;

    public SegmentsBenchmark() {
        expect(shortGsm, SmsEncoding.GSM_7, 1);
        expect(fullGsm, SmsEncoding.GSM_7, 1);
        expect(shortUcs2, SmsEncoding.UCS_2, 1);
        expect(longGsm, SmsEncoding.GSM_7, 7);
        expect(longUcs2, SmsEncoding.UCS_2, 15);
    }

    // A body in the wrong group would measure another path than the benchmark's name says.
    private static void expect(String[] bodies, SmsEncoding encoding, int minSegments) {
        for (String body : bodies) {
            SegmentCount count = Segments.count(body);
            if (count.encoding() != encoding || count.segments() < minSegments) {
                throw new IllegalStateException(count + " for " + body);
            }
        }
    }

    private static String[] bodies(List<String> bodies) {
        if (bodies.size() != MASK + 1) {
            throw new IllegalArgumentException("eight bodies per benchmark");
        }
        return bodies.toArray(String[]::new);
    }

    private String shortGsm(int i) {
        return shortGsm[i];
    }

    private String shortUcs2(int i) {
        return shortUcs2[i];
    }

    private static String repeatTo(String text, int length) {
        StringBuilder body = new StringBuilder(length + text.length());
        while (body.length() < length) {
            body.append(text);
        }
        int end = length;
        if (Character.isHighSurrogate(body.charAt(end - 1))) {
            end--;
        }
        return body.substring(0, end);
    }

    /** The exactly-160-character GSM-7 bodies, for {@link SegmentsCpuTime}. */
    String[] fullGsmBodies() {
        return fullGsm.clone();
    }

    private int nextIndex() {
        return next++ & MASK;
    }

    @Benchmark
    public SegmentCount countShortGsm() {
        return Segments.count(shortGsm[nextIndex()]);
    }

    @Benchmark
    public SegmentCount countFullSingleGsm() {
        return Segments.count(fullGsm[nextIndex()]);
    }

    @Benchmark
    public SegmentCount countShortUcs2() {
        return Segments.count(shortUcs2[nextIndex()]);
    }

    @Benchmark
    public SegmentCount countLongGsm() {
        return Segments.count(longGsm[nextIndex()]);
    }

    @Benchmark
    public SegmentCount countLongUcs2() {
        return Segments.count(longUcs2[nextIndex()]);
    }

    @Benchmark
    public BodyAnalysis analyzeShortWithSmartEncoding() {
        return Segments.analyze(smart[nextIndex()], true);
    }

    @Benchmark
    public List<String> splitLongUcs2() {
        return Segments.split(longUcs2[nextIndex()]);
    }
}
