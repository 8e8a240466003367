package dev.dripline.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.conversations.InboundSms;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.TestClock;
import dev.dripline.json.Json;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageMedia;
import dev.dripline.schedule.Due;
import dev.dripline.steps.StepsRouter;
import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.twilio.TwilioCallbacks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An inbound MMS end to end in the core: the message is stored at once with its media pending,
 * the fetch runs as steps-queue work through the steps router, with Twilio's credentials from a
 * stub of its media host, and the bytes land in the media store; a fetch that fails keeps the
 * message, and one that may work later comes back later.
 */
@ExtendWith(EnginesExtension.class)
class ReceivedMediaTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};

    private HttpServer stub;
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private TestClock clock;
    private TestCore test;
    private Dripline core;
    private Engines engines;
    private String steps;
    private String base;

    @BeforeEach
    void start(Engines engines) throws IOException {
        this.engines = engines;
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            requests.incrementAndGet();
            int status = answers.getOrDefault(exchange.getRequestURI().getPath(), 200);
            boolean authorized = exchange.getRequestHeaders().getFirst("Authorization") != null;
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            if (status != 200 || !authorized) {
                exchange.sendResponseHeaders(authorized ? status : 401, -1);
            } else {
                exchange.sendResponseHeaders(200, PNG.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(PNG);
                }
            }
            exchange.close();
        });
        stub.start();
        base = "http://127.0.0.1:" + stub.getAddress().getPort();
        clock = new TestClock(Instant.parse("2026-12-03T12:00:00Z"));
        steps = engines.sqs().createQueue(r -> r.queueName("media-steps-" + System.nanoTime())).queueUrl();
        test = new TestCore(engines, clock, Map.of("DRIPLINE_STEPS_QUEUE_URL", steps, "DRIPLINE_QUEUE_DELAY_UP_TO", "PT0S",
                "DRIPLINE_TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef", "DRIPLINE_TWILIO_AUTH_TOKEN", "token",
                "DRIPLINE_TWILIO_FROM", "+18335550100", "DRIPLINE_TWILIO_BASE_URL", base));
        core = test.dripline;
    }

    @AfterEach
    void stop() {
        stub.stop(0);
    }

    private InboundSms mms(String sid, String body, String... paths) {
        StringBuilder form = new StringBuilder("MessageSid=" + sid + "&From=%2B14155550188&To=%2B18335550100&Body=" + body
                + "&NumMedia=" + paths.length);
        for (int i = 0; i < paths.length; i++) {
            form.append("&MediaContentType").append(i).append("=image%2Fpng&MediaUrl").append(i).append('=').append(base).append(paths[i]);
        }
        return TwilioCallbacks.inbound(Form.parse(form.toString()), clock.instant());
    }

    /** Acts on what is on the steps queue now, as the steps function does. */
    private void pump() {
        StepsRouter router = new StepsRouter(core.messages(), core.outboundWebhooks(), core::journeys, core::broadcasts, core::receivedMedia);
        for (int round = 0; round < 20; round++) {
            var batch = engines.sqs().receiveMessage(r -> r.queueUrl(steps).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return;
            }
            for (var m : batch) {
                router.route(Json.read(m.body(), Due.class));
                engines.sqs().deleteMessage(r -> r.queueUrl(steps).receiptHandle(m.receiptHandle()));
            }
        }
    }

    @Test
    void aPictureIsStoredBesideItsMessageOffTheWebhooksPath() {
        Message stored = core.conversations().receive(mms("MM1", "Our%20porch", "/Media/ME1"));

        // The webhook's work is done: the message is kept, its media pending, nothing fetched yet.
        assertThat(stored.media()).singleElement().extracting(MessageMedia::status).isEqualTo(MessageMedia.PENDING);
        assertThat(requests).hasValue(0);
        pump();

        Message after = core.messageStore().get(stored.id()).orElseThrow();
        MessageMedia media = after.media().get(0);
        assertThat(media.status()).isEqualTo(MessageMedia.STORED);
        assertThat(media.contentType()).isEqualTo("image/png");
        assertThat(media.size()).isEqualTo(PNG.length);
        assertThat(core.media().bytes(media.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(PNG));
        assertThat(after.body()).isEqualTo("Our porch");
        assertThat(new MediaLinks(core::media).shown(after).media().get(0).url()).contains("/media/" + media.id() + "?expires=");
    }

    @Test
    void aMediaOnlyMessageIsAMessageAndKeywordsAreMatchedOnTheTextOfOneWithMedia() {
        Message pictureOnly = core.conversations().receive(mms("MM2", "", "/Media/ME2"));
        assertThat(pictureOnly.body()).isEmpty();
        Contact contact = core.contacts().byPhone("+14155550188").orElseThrow();
        core.contacts().changeConsent(contact.id(), ConsentStatus.OPTED_IN, "test", "yes", "test", clock.instant(), s -> true, tx -> { });

        core.conversations().receive(mms("MM3", "STOP", "/Media/ME3"));
        pump();

        assertThat(core.contacts().get(contact.id()).orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        List<Message> conversation = core.messageStore().conversation(contact.id(), 50, null).items();
        assertThat(conversation).filteredOn(m -> m.id().startsWith("in_")).allSatisfy(m ->
                assertThat(m.media()).singleElement().extracting(MessageMedia::status).isEqualTo(MessageMedia.STORED));
    }

    @Test
    void aFetchThatMayWorkLaterKeepsTheMessageAndComesBackLater() {
        answers.put("/Media/ME4", 503);
        Message stored = core.conversations().receive(mms("MM4", "hi", "/Media/ME4"));
        pump();

        MessageMedia pending = core.messageStore().get(stored.id()).orElseThrow().media().get(0);
        assertThat(pending.status()).isEqualTo(MessageMedia.PENDING);
        assertThat(pending.error()).contains("503");
        TestCore.Scheduled retry = test.scheduled.stream().filter(s -> s.due() instanceof Due.FetchMedia).findFirst().orElseThrow();
        assertThat(retry.due()).isEqualTo(new Due.FetchMedia(stored.id(), 2));
        assertThat(retry.at()).isEqualTo(clock.instant().plus(Duration.ofSeconds(30)));

        answers.remove("/Media/ME4");
        core.receivedMedia().fetch((Due.FetchMedia) retry.due());
        assertThat(core.messageStore().get(stored.id()).orElseThrow().media().get(0).status()).isEqualTo(MessageMedia.STORED);
    }

    @Test
    void aFetchThatCannotWorkIsRecordedAsFailedAndNotRetried() {
        answers.put("/Media/ME5", 404);
        Message stored = core.conversations().receive(mms("MM5", "hi", "/Media/ME5"));
        pump();

        MessageMedia failed = core.messageStore().get(stored.id()).orElseThrow().media().get(0);
        assertThat(failed.status()).isEqualTo(MessageMedia.FAILED);
        assertThat(failed.error()).isEqualTo("the media host answered 404");
        assertThat(failed.id()).isNull();
        assertThat(test.scheduled).noneMatch(s -> s.due() instanceof Due.FetchMedia);
        assertThat(core.messageStore().get(stored.id()).orElseThrow().body()).isEqualTo("hi");
    }

    @Test
    void aProvidersRetryOfTheWebhookStoresOneMessageAndFetchesOnce() {
        InboundSms sms = mms("MM6", "again", "/Media/ME6");
        core.conversations().receive(sms);
        pump();
        core.conversations().receive(sms);
        pump();

        Contact contact = core.contacts().byPhone("+14155550188").orElseThrow();
        assertThat(core.messageStore().conversation(contact.id(), 50, null).items()).hasSize(1);
        assertThat(requests).hasValue(1);
    }

    @Test
    void erasingTheContactRemovesItsMessagesMediaEntries() {
        Message stored = core.conversations().receive(mms("MM7", "mine", "/Media/ME7"));
        pump();
        assertThat(core.messageStore().get(stored.id()).orElseThrow().media()).hasSize(1);

        core.personalData().erase(stored.contactId(), "test");

        assertThat(core.messageStore().get(stored.id()).orElseThrow().media()).isEmpty();
    }
}
