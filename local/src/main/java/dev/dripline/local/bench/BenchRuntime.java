package dev.dripline.local.bench;

import ch.qos.logback.classic.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** What the benchmarks' local runtimes share: loopback on an ephemeral port, a fast simulated carrier, quiet logs. */
final class BenchRuntime {

    private BenchRuntime() {
    }

    /**
     * The environment of a benchmark's runtime; callers add their own variables.
     *
     * @param simulatorRate the simulated carrier's messages per second, or {@code unlimited}
     */
    static Map<String, String> env(String simulatorRate) {
        // Per-message INFO lines would measure the console, not the product.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.dripline")).setLevel(Level.WARN);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DRIPLINE_PORT", "0");
        env.put("DRIPLINE_BIND", "127.0.0.1");
        env.put("DRIPLINE_SIMULATOR_LATENCY_MS", "5");
        env.put("DRIPLINE_SIMULATOR_RATE", simulatorRate);
        return env;
    }
}
