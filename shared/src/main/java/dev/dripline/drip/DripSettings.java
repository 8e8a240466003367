package dev.dripline.drip;

import dev.dripline.config.Env;
import java.time.Duration;

/**
 * The drip engine's knobs.
 *
 * @param frequencyCap marketing messages one contact may get per local day, across every
 *                     campaign and broadcast (DRIPLINE_FREQUENCY_CAP, default 3)
 * @param queueDelayUpTo waits up to this long ride on the steps queue's delivery delay
 *                     instead of a schedule (DRIPLINE_QUEUE_DELAY_UP_TO, default PT15M, at
 *                     most SQS's 15 minutes; the local runtime uses zero: its clock moves)
 */
public record DripSettings(int frequencyCap, Duration queueDelayUpTo) {

    public static DripSettings from(Env env) {
        return new DripSettings(env.integer("DRIPLINE_FREQUENCY_CAP", 3, 1, Integer.MAX_VALUE),
                env.durationOrZero("DRIPLINE_QUEUE_DELAY_UP_TO", Duration.ofMinutes(15)));
    }
}
