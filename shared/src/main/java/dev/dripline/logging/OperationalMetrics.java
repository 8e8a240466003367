package dev.dripline.logging;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Operational counts as CloudWatch Embedded Metric Format: one JSON line per event on standard
 * output, which Lambda ships to CloudWatch Logs, where it becomes the metric (namespace
 * {@code Dripline}, dimension {@code Function}) without an API call. Outside Lambda (no
 * AWS_LAMBDA_FUNCTION_NAME; or DRIPLINE_METRICS=log) the same line goes to the debug log instead,
 * so the local runtime's console stays readable. Names: MessagesSent, MessagesFailed,
 * MessagesRetried, MessagesDeferred, SendOutcomeUnknown (a provider call whose outcome is not
 * known: the message may or may not have been sent) and WebhookSignatureRefused (a provider
 * webhook refused for its signature or configuration); template.yaml alarms on the last two.
 */
public final class OperationalMetrics {

    public static final String NAMESPACE = "Dripline";
    private static final Logger LOG = LoggerFactory.getLogger(OperationalMetrics.class);
    private static final String FUNCTION = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");
    private static final AtomicReference<Consumer<String>> SINK = new AtomicReference<>(defaultSink());

    private OperationalMetrics() {
    }

    private static Consumer<String> defaultSink() {
        boolean emf = System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null && !"log".equals(System.getenv("DRIPLINE_METRICS"));
        return emf ? System.out::println : line -> LOG.debug("{}", line);
    }

    /** Where the lines go (tests capture them); returns the previous sink. */
    public static Consumer<String> sink(Consumer<String> sink) {
        return SINK.getAndSet(sink);
    }

    /** Counts {@code value} of metric {@code name} (unit Count) now. */
    public static void count(String name, long value) {
        SINK.get().accept(line(name, value, System.currentTimeMillis()));
    }

    /** The EMF document of one count, with the correlation id as a searchable property. */
    static String line(String name, long value, long epochMillis) {
        String correlation = MDC.get(Correlation.KEY);
        StringBuilder json = new StringBuilder(256);
        json.append("{\"_aws\":{\"Timestamp\":").append(epochMillis)
                .append(",\"CloudWatchMetrics\":[{\"Namespace\":\"").append(NAMESPACE)
                .append("\",\"Dimensions\":[[\"Function\"]],\"Metrics\":[{\"Name\":\"").append(name)
                .append("\",\"Unit\":\"Count\"}]}]},\"Function\":\"").append(escape(FUNCTION))
                .append("\",\"").append(name).append("\":").append(value);
        if (correlation != null) {
            json.append(",\"correlationId\":\"").append(escape(correlation)).append('"');
        }
        return json.append('}').toString();
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** For tests: the fields of a line, as the parser sees them. */
    static Map<String, Object> parse(String line) {
        try {
            return dev.dripline.json.Json.mapper().readValue(line, Map.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
