package dev.dripline.bench;

import dev.dripline.messaging.encoding.Segments;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Exactly-160-character GSM-7 counting per second of this thread's CPU time, so a figure per core
 * that a busy machine does not divide by its load (JMH's ops/s are per second of wall time):
 * {@code java -cp bench/target/dripline-bench.jar dev.dripline.bench.SegmentsCpuTime [seconds]}.
 * The bodies are {@link SegmentsBenchmark}'s; 10 s of warm-up, then rounds of 10 M counts.
 */
public final class SegmentsCpuTime {

    private SegmentsCpuTime() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        String[] bodies = new SegmentsBenchmark().fullGsmBodies();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long warmEnd = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            sink += round(bodies, 1_000_000);
        }
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long ops = 0;
        while (threads.getCurrentThreadCpuTime() - cpu0 < seconds * 1e9) {
            sink += round(bodies, 10_000_000);
            ops += 10_000_000;
        }
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        System.out.printf("160-char GSM-7 counts: %d in %.2f s of CPU (%.2f s wall): %.1f M per CPU-second; load average %.2f (sink %d)%n",
                ops, cpu, wall, ops / cpu / 1e6, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), sink & 1);
    }

    private static long round(String[] bodies, int n) {
        long septets = 0;
        for (int i = 0; i < n; i++) {
            septets += Segments.count(bodies[i & 7]).units();
        }
        return septets;
    }
}
