package dev.dripline.local;

import dev.dripline.queue.SqsQueue;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-in for EventBridge Scheduler: one-time schedules that, when the movable clock
 * reaches them, put their work on the steps queue and delete themselves. It checks every
 * {@code tick} and at once whenever the clock is advanced. Like the real service it delivers
 * at least once and never early; names are unique.
 */
public final class LocalScheduler implements StepScheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalScheduler.class);

    private record Entry(Instant at, String name) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    private final MovableClock clock;
    private final SqsQueue stepsQueue;
    private final ConcurrentSkipListSet<Entry> byTime = new ConcurrentSkipListSet<>();
    private final Map<String, Scheduled> byName = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-scheduler");
        t.setDaemon(true);
        return t;
    });

    private record Scheduled(Instant at, Due due) {
    }

    public LocalScheduler(MovableClock clock, SqsQueue stepsQueue, Duration tick) {
        this.clock = clock;
        this.stepsQueue = stepsQueue;
        ticker.scheduleWithFixedDelay(this::fireDue, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        clock.onAdvance(() -> ticker.execute(this::fireDue));
    }

    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    /** Schedules created and cancelled so far (each an EventBridge Scheduler call on AWS). */
    public long calls() {
        return calls.get();
    }

    @Override
    public void schedule(String name, Instant at, Due due) {
        calls.incrementAndGet();
        if (byName.putIfAbsent(name, new Scheduled(at, due)) == null) {
            byTime.add(new Entry(at, name));
        }
    }

    @Override
    public void cancel(String name) {
        calls.incrementAndGet();
        Scheduled removed = byName.remove(name);
        if (removed != null) {
            byTime.remove(new Entry(removed.at(), name));
        }
    }

    /** How many schedules wait to fire. */
    public int pending() {
        return byName.size();
    }

    /** When the earliest schedule falls due, if there is one. */
    public Optional<Instant> firstDue() {
        try {
            return Optional.of(byTime.first().at());
        } catch (java.util.NoSuchElementException none) {
            return Optional.empty();
        }
    }

    /** Puts every schedule the clock has reached on the steps queue (one caller at a time: each is sent once). */
    public synchronized void fireDue() {
        Instant now = clock.instant();
        try {
            while (!byTime.isEmpty() && !byTime.first().at().isAfter(now)) {
                Entry next = byTime.first();
                Scheduled s = byName.get(next.name());
                if (s != null) {
                    stepsQueue.send(s.due());
                    byName.remove(next.name());
                }
                byTime.remove(next);
            }
        } catch (RuntimeException e) {
            // Kept for the next tick, as the real service retries a failed target.
            LOG.warn("could not deliver due work to the steps queue, retrying: {}", e.toString());
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
