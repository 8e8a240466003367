package dev.dripline.logging;

import dev.dripline.ids.Ids;
import java.time.Clock;
import org.slf4j.MDC;

/**
 * The correlation id that follows one piece of work from the API call or webhook that started
 * it, over the send queue, to the provider call: kept in the logging MDC under
 * {@code correlationId} (the JSON log layout prints it), carried on queue messages.
 */
public final class Correlation {

    public static final String KEY = "correlationId";

    private Correlation() {
    }

    /** The current id, or null. */
    public static String current() {
        return MDC.get(KEY);
    }

    /** Sets {@code id} (or a new one when null or blank) for this thread; answers the one set. */
    public static String begin(String id) {
        String value = id == null || id.isBlank() ? Ids.next("cor", Clock.systemUTC()) : id.length() > 128 ? id.substring(0, 128) : id;
        MDC.put(KEY, value);
        return value;
    }

    public static void end() {
        MDC.remove(KEY);
    }
}
