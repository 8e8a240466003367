package dev.dripline.broadcasts;

import dev.dripline.analytics.Tally;
import dev.dripline.audience.Audience;
import dev.dripline.compliance.QuietHours;
import dev.dripline.compliance.QuietHours.Jurisdiction;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.drip.ContactZone;
import dev.dripline.drip.FrequencyCap;
import dev.dripline.drip.JourneyStore;
import dev.dripline.drip.Template;
import dev.dripline.logging.Masked;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.Origin;
import dev.dripline.messaging.Sender;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broadcast's fan-out: each page of its audience sent now, held for a release minute, or
 * skipped, each recipient once; and each release minute's held recipients sent when it comes.
 */
final class FanOut {

    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    static final int PAGE = 200;

    /** Why a recipient is on a hold list (the hold item's {@code reason}, as stored). */
    enum HoldReason {
        QUIET_HOURS("quietHours"), CAPPED("capped");

        final String wire;

        HoldReason(String wire) {
            this.wire = wire;
        }

        /** An item without a reason was held by quiet hours (the only reason at first). */
        static HoldReason fromWire(String wire) {
            return CAPPED.wire.equals(wire) ? CAPPED : QUIET_HOURS;
        }
    }

    /** What happened to a recipient once, marked so that a page delivered twice counts once (as stored). */
    enum Mark {
        SKIPPED_OPTED_OUT("skip-optout"), SKIPPED_CAPPED("skip-cap"), SKIPPED_UNREGISTERED("skip-unregistered");

        final String wire;

        Mark(String wire) {
            this.wire = wire;
        }
    }

    private record Settings(Template body, Category category, LocalDateTime sendAtLocal, boolean deferCapped, String topic,
                            List<dev.dripline.media.MediaInput> media, String mediaFallback) {
    }

    private final BroadcastStore broadcasts;
    private final JourneyStore holds;
    private final BroadcastAudience audience;
    private final Contacts contacts;
    private final Supplier<Messages> messages;
    private final FrequencyCap cap;
    private final Timers timers;
    private final Supplier<Tally> tally;
    private final Clock clock;
    private final String brand;

    FanOut(BroadcastStore broadcasts, JourneyStore holds, BroadcastAudience audience, Contacts contacts, Supplier<Messages> messages,
           FrequencyCap cap, Timers timers, Supplier<Tally> tally, Clock clock, String brand) {
        this.broadcasts = broadcasts;
        this.holds = holds;
        this.audience = audience;
        this.contacts = contacts;
        this.messages = messages;
        this.cap = cap;
        this.timers = timers;
        this.tally = tally;
        this.clock = clock;
        this.brand = brand;
    }

    /** One page of the audience: send now, hold for later, or skip, each recipient once. */
    void onPage(Due.BroadcastPage page) {
        Optional<BroadcastStore.Stored> head = broadcasts.find(page.broadcastId());
        if (head.isEmpty() || head.get().status() == BroadcastStatus.CANCELLED) {
            return;
        }
        String id = page.broadcastId();
        if (page.cursor() == null) {
            broadcasts.setStatus(id, BroadcastStatus.SENDING);
        }
        Audience.Page contactsPage = audience.page(audience.filter((Map<?, ?>) head.get().view().audience()), PAGE, page.cursor());
        Settings settings = settings(head.get());
        Instant now = clock.instant();
        Map<String, Long> counts = new HashMap<>();
        List<String> ready = new ArrayList<>();
        Set<Long> releases = new LinkedHashSet<>();
        for (Contact c : contactsPage.items()) {
            Optional<Instant> when = eligible(id, c, settings, now, counts);
            if (when.isEmpty()) {
                continue;
            }
            Instant at = when.get();
            if (!at.isAfter(now) || Duration.between(now, at).compareTo(Duration.ofSeconds(1)) < 0) {
                send(id, c, settings, now, counts).ifPresent(ready::add);
            } else {
                long release = at.truncatedTo(ChronoUnit.MINUTES).equals(at) ? at.getEpochSecond()
                        : at.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES).getEpochSecond();
                if (holds.holdForRelease(id, release, c.id(), HoldReason.QUIET_HOURS.wire)) {
                    count(counts, "held");
                    count(counts, "deferredQuietHours");
                }
                releases.add(release);
            }
        }
        for (long release : releases) {
            scheduleRelease(id, release);
        }
        messages.get().queueAll(ready);
        broadcasts.addCounts(id, counts);
        if (contactsPage.nextCursor() != null) {
            timers.now(new Due.BroadcastPage(id, contactsPage.nextCursor()));
        } else {
            broadcasts.setStatus(id, BroadcastStatus.FANNED_OUT);
            LOG.info("broadcast {}: the whole audience was read", id);
        }
    }

    /** Held recipients whose minute came: sent now (consent and caps checked again), a page per invocation. */
    void onRelease(Due.BroadcastRelease release) {
        String id = release.broadcastId();
        Optional<BroadcastStore.Stored> head = broadcasts.find(id);
        if (head.isEmpty() || head.get().status() == BroadcastStatus.CANCELLED) {
            return;
        }
        Settings settings = settings(head.get());
        JourneyStore.HeldPage held = holds.heldForRelease(id, release.releaseAt(), PAGE);
        Instant now = clock.instant();
        Map<String, Long> counts = new HashMap<>();
        List<String> ready = new ArrayList<>();
        List<String> ids = held.items().stream().map(JourneyStore.Held::contactId).toList();
        Map<String, HoldReason> reasons = new HashMap<>();
        held.items().forEach(h -> reasons.put(h.contactId(), HoldReason.fromWire(h.reason())));
        for (Contact c : contacts.get(ids)) {
            Optional<Instant> when = eligible(id, c, settings, now, counts);
            if (when.isPresent()) {
                if (when.get().isAfter(now.plusSeconds(59))) {
                    // Its zone's rules moved (a time zone set meanwhile): held again for the new opening.
                    long again = when.get().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES).getEpochSecond();
                    holds.holdForRelease(id, again, c.id(), reasons.get(c.id()).wire);
                    scheduleRelease(id, again);
                } else {
                    count(counts, "released");
                    if (send(id, c, settings, now, counts).map(ready::add).isPresent() && reasons.get(c.id()) == HoldReason.QUIET_HOURS) {
                        // A deferral that ended in a send: no longer waiting on quiet hours.
                        count(counts, "releasedQuietHours");
                    }
                }
            }
        }
        messages.get().queueAll(ready);
        broadcasts.addCounts(id, counts);
        for (JourneyStore.Held h : held.items()) {
            holds.releaseHeld(id, release.releaseAt(), h);
        }
        if (held.more()) {
            timers.now(release);
        }
    }

    /** The schedule of a broadcast's release minute (one per minute, however many it holds). */
    void scheduleRelease(String id, long release) {
        timers.at("bc-" + id + "-" + release, Instant.ofEpochSecond(release), new Due.BroadcastRelease(id, release));
    }

    private static Settings settings(BroadcastStore.Stored head) {
        Broadcasts.Broadcast b = head.view();
        return new Settings(new Template(b.body()), b.category(), b.sendAtLocal(), head.deferCapped(), b.topic(), head.media(),
                head.mediaFallback());
    }

    /**
     * When the recipient may get it (now or later), or empty if they may not at all (opted
     * out; marketing without opt-in), which is marked once and counted once.
     */
    private Optional<Instant> eligible(String id, Contact c, Settings settings, Instant now, Map<String, Long> counts) {
        boolean marketing = settings.category() == Category.MARKETING;
        ConsentStatus consent = c.consentFor(settings.topic());
        if (consent == ConsentStatus.OPTED_OUT || (marketing && consent != ConsentStatus.OPTED_IN)) {
            if (holds.markOnce(id, Mark.SKIPPED_OPTED_OUT.wire, c.id(), clock.instant())) {
                count(counts, "skippedOptedOut");
                tally.get().add(Origin.broadcast(id), "skipped.optedOut", 1);
            }
            return Optional.empty();
        }
        Instant at = now;
        if (settings.sendAtLocal() != null) {
            Instant local = settings.sendAtLocal().atZone(ContactZone.of(c)).toInstant();
            at = local.isAfter(now) ? local : now;
        }
        if (marketing) {
            at = QuietHours.nextAllowed(at, Sender.zones(Optional.of(c), c.phone()), Jurisdiction.of(c.country(), c.phone(), c.attributes()));
        }
        return Optional.of(at);
    }

    /** Creates the recipient's message with its frequency-cap count; empty if it exists already or the cap skipped it. */
    private Optional<String> send(String id, Contact c, Settings settings, Instant now, Map<String, Long> counts) {
        String messageId = Broadcasts.messageId(id, c.id());
        String body = settings.body().render(c, Map.of(), brand);
        Message m = messages.get().draft(c, messageId, body, settings.category(), Origin.broadcast(id), true, settings.topic(),
                settings.media(), settings.mediaFallback());
        FrequencyCap.Result made = cap.create(m, c, now);
        switch (made.outcome()) {
            case ALREADY_CREATED -> {
                // A page delivered twice: queue it again (harmless), count nothing.
                return Optional.of(messageId);
            }
            case REFUSED -> {
                // A registration gate (enforcement on) refuses the sender: skipped, with the reason on the recipient.
                if (holds.markOnce(id, Mark.SKIPPED_UNREGISTERED.wire, c.id(), clock.instant())) {
                    LOG.info("broadcast {}: {} skipped, {}", id, Masked.phone(c.phone()), made.refusal().reason());
                    count(counts, "skippedUnregistered");
                    tally.get().add(Origin.broadcast(id), "skipped.unregistered", 1);
                }
                return Optional.empty();
            }
            case CAPPED -> {
                if (made.heldBy() != null) {
                    LOG.info("broadcast {}: {} held by {} until {}", id, Masked.phone(c.phone()), made.heldByText(), made.until());
                }
                if (settings.deferCapped()) {
                    Instant until = made.until();
                    if (made.heldBy() != null) {
                        holds.rememberCapHold(id, c.id(), new JourneyStore.CapHold(until, made.heldBy().id(), made.heldBy().jurisdiction(),
                                made.heldBy().source()));
                    }
                    long next = until.truncatedTo(ChronoUnit.MINUTES).equals(until) ? until.getEpochSecond()
                            : until.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES).getEpochSecond();
                    if (holds.holdForRelease(id, next, c.id(), HoldReason.CAPPED.wire)) {
                        count(counts, "deferredCapped");
                        tally.get().add(Origin.broadcast(id), "deferred.capped", 1);
                    }
                    scheduleRelease(id, next);
                } else if (holds.markOnce(id, Mark.SKIPPED_CAPPED.wire, c.id(), clock.instant())) {
                    count(counts, "skippedCapped");
                    tally.get().add(Origin.broadcast(id), "skipped.capped", 1);
                }
                return Optional.empty();
            }
            default -> {
                count(counts, "queued");
                tally.get().add(Origin.broadcast(id), "queued", 1);
                LOG.debug("broadcast {}: message {} to {}", id, messageId, Masked.phone(c.phone()));
                return Optional.of(messageId);
            }
        }
    }

    private static void count(Map<String, Long> counts, String name) {
        counts.merge(name, 1L, Long::sum);
    }
}
