package dev.dripline.media;

import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageMedia;
import dev.dripline.messaging.MessageStore;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of inbound MMS: fetched from the provider that reported it, stored in the
 * {@link MediaStore}, and recorded on the message's media entries. The message is stored before
 * any fetch, so a fetch that fails loses nothing: its entry records why, and a fetch that may work
 * later (a timeout, a 5xx) comes back on the steps queue with a growing delay until
 * {@link InboundMediaSettings#maxAttempts()}. Fetching again is harmless: stored entries are skipped.
 */
public final class ReceivedMedia {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivedMedia.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LAST_RETRY = Duration.ofHours(1);

    private final MessageStore messages;
    private final Supplier<MediaStore> store;
    private final MediaSources sources;
    private final MediaFetcher fetcher;
    private final Optional<Supplier<Timers>> timers;
    private final int maxAttempts;
    private final Clock clock;

    /**
     * @param timers the steps queue's timers; empty for a core without a steps queue, which
     *               fetches while the webhook waits and does not retry
     */
    public ReceivedMedia(MessageStore messages, Supplier<MediaStore> store, MediaSources sources, MediaFetcher fetcher,
                         Optional<Supplier<Timers>> timers, int maxAttempts, Clock clock) {
        this.messages = messages;
        this.store = store;
        this.sources = sources;
        this.fetcher = fetcher;
        this.timers = timers;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
    }

    /** An inbound message with media was stored: its fetch is queued (the webhook answers without waiting for it). */
    public void arrived(Message message) {
        Due.FetchMedia first = new Due.FetchMedia(message.id(), 1);
        if (timers.isPresent()) {
            timers.get().get().now(first);
        } else {
            fetch(first);
        }
    }

    /** Fetches and stores the message's pending media; what may work later is tried again later. */
    public void fetch(Due.FetchMedia work) {
        Optional<Message> found = messages.get(work.messageId());
        if (found.isEmpty() || found.get().media().stream().noneMatch(MessageMedia::isPending)) {
            return; // erased, expired, or done by an earlier delivery of this work
        }
        Message message = found.get();
        Optional<MediaSources.Source> source = sources.of(message.provider());
        boolean lastAttempt = work.attempt() >= maxAttempts;
        List<MessageMedia> media = new ArrayList<>();
        boolean again = false;
        for (MessageMedia m : message.media()) {
            if (!m.isPending()) {
                media.add(m);
                continue;
            }
            if (source.isEmpty()) {
                media.add(m.failed(message.provider() + " has no inbound media this version can fetch", false));
                continue;
            }
            try {
                MediaFetcher.Fetched fetched = fetcher.fetch(source.get(), m.source(), m.contentType());
                StoredMedia stored = store.get().put(fetched.contentType(), fetched.bytes());
                media.add(m.stored(stored.id(), stored.contentType(), stored.size()));
            } catch (MediaFetcher.Failed failed) {
                boolean retry = failed.retryable() && !lastAttempt;
                again |= retry;
                LOG.warn("inbound {} media not fetched (attempt {}{}): {}", message.id(), work.attempt(), retry ? ", will retry" : "",
                        failed.getMessage());
                media.add(m.failed(failed.getMessage(), retry));
            }
        }
        if (!messages.updateMedia(message.id(), media)) {
            return;
        }
        LOG.info("inbound {}: {} of {} media stored", message.id(),
                media.stream().filter(m -> MessageMedia.STORED.equals(m.status())).count(), media.size());
        if (again && timers.isPresent()) {
            Duration wait = retryDelay(work.attempt());
            timers.get().get().at("media-" + message.id() + "-" + (work.attempt() + 1), clock.instant().plus(wait),
                    new Due.FetchMedia(message.id(), work.attempt() + 1));
        }
    }

    /** 30 s after the first attempt, doubling, at most an hour. */
    static Duration retryDelay(int attempt) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 16));
        return d.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : d;
    }
}
