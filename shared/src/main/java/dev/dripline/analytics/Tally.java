package dev.dripline.analytics;

import dev.dripline.messaging.Origin;

/**
 * Where the things that happen to campaigns and broadcasts are counted as they happen. Callers
 * count only after the conditional write that makes the event happen once (an enrolment
 * created, a step recorded, a status changed), so a redelivered event is not counted twice.
 *
 * <p>Metric names the drip engine and the broadcasts emit: {@code enrolled}, {@code completed},
 * {@code exited} (a goal or an opt-out ended it), {@code converted}, {@code stepsDone},
 * {@code skipped.optedOut}, {@code skipped.ageUnverified}, {@code skipped.capped},
 * {@code deferred.quietHours}, {@code deferred.sendWindow}, {@code deferred.capped},
 * {@code queued}.
 */
public interface Tally {

    /** Adds {@code amount} to {@code metric} of the campaign (its step and variant) or broadcast {@code origin} names. */
    void add(Origin origin, String metric, long amount);

    /** Counts nothing (tests of other things, functions that have no counters). */
    Tally NONE = (origin, metric, amount) -> {
    };
}
