package dev.dripline.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The EMF line is what CloudWatch expects: the _aws directive naming the metric, its value at the top level. */
class OperationalMetricsTest {

    @Test
    void aCountIsAnEmbeddedMetricFormatDocumentWithTheCorrelationId() {
        Correlation.begin("req-\"7\"");
        try {
            Map<String, Object> doc = OperationalMetrics.parse(OperationalMetrics.line("MessagesSent", 3, 1_700_000_000_000L));
            @SuppressWarnings("unchecked")
            Map<String, Object> aws = (Map<String, Object>) doc.get("_aws");
            assertThat(aws).containsEntry("Timestamp", 1_700_000_000_000L);
            assertThat(aws.get("CloudWatchMetrics")).isEqualTo(List.of(Map.of("Namespace", "Dripline",
                    "Dimensions", List.of(List.of("Function")), "Metrics", List.of(Map.of("Name", "MessagesSent", "Unit", "Count")))));
            assertThat(doc).containsEntry("MessagesSent", 3).containsEntry("Function", "local").containsEntry("correlationId", "req-\"7\"");
        } finally {
            Correlation.end();
        }
    }
}
