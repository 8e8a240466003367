package dev.dripline.steps;

import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.drip.Journeys;
import dev.dripline.media.ReceivedMedia;
import dev.dripline.messaging.Messages;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.schedule.Due;
import java.util.function.Supplier;

/**
 * The one dispatcher of the steps queue's work: each kind of {@link Due} to the capability that
 * acts on it. The steps function (and through it the local runtime) and the drip tests' harness
 * all route through here, so what the tests deliver is what production runs. Exhaustive by
 * construction: {@link Due.Routes} has a method per kind. Built by its callers from the
 * composition root's services (this package does not import the root).
 */
public final class StepsRouter implements Due.Routes {

    private final Messages messages;
    private final OutboundWebhooks webhooks;
    private final Supplier<Journeys> journeys;
    private final Supplier<Broadcasts> broadcasts;
    private final Supplier<ReceivedMedia> media;

    /** Journeys and broadcasts are built on their first work: a batch of sends never builds them. */
    public StepsRouter(Messages messages, OutboundWebhooks webhooks, Supplier<Journeys> journeys, Supplier<Broadcasts> broadcasts,
                       Supplier<ReceivedMedia> media) {
        this.media = media;
        this.messages = messages;
        this.webhooks = webhooks;
        this.journeys = journeys;
        this.broadcasts = broadcasts;
    }

    /** Acts on {@code due}; acting twice is harmless (every kind is idempotent or checks it is stale). */
    public void route(Due due) {
        due.routeTo(this);
    }

    @Override
    public void send(Due.ScheduledSend work) {
        messages.releaseScheduled(work.messageId());
    }

    @Override
    public void webhook(Due.WebhookDelivery work) {
        webhooks.deliver(work);
    }

    @Override
    public void step(Due.Step work) {
        journeys.get().onStep(work);
    }

    @Override
    public void event(Due.ContactEvent work) {
        journeys.get().onEvent(work);
    }

    @Override
    public void reply(Due.Reply work) {
        journeys.get().onReply(work);
    }

    @Override
    public void optOut(Due.OptOut work) {
        journeys.get().onOptOut(work);
    }

    @Override
    public void enrol(Due.Enrol work) {
        journeys.get().onEnrol(work);
    }

    @Override
    public void resume(Due.Resume work) {
        journeys.get().onResume(work);
    }

    @Override
    public void contactChanged(Due.ContactChanged work) {
        journeys.get().onContactChanged(work);
    }

    @Override
    public void dateSweep(Due.DateSweep work) {
        journeys.get().onDateSweep(work);
    }

    @Override
    public void broadcastPage(Due.BroadcastPage work) {
        broadcasts.get().onPage(work);
    }

    @Override
    public void broadcastRelease(Due.BroadcastRelease work) {
        broadcasts.get().onRelease(work);
    }

    @Override
    public void fetchMedia(Due.FetchMedia work) {
        media.get().fetch(work);
    }
}
