// Over ~400 lines on purpose: every service's recipe and accessor in one file is the one visible place of the lifecycle.
package dev.dripline;

import dev.dripline.analytics.Analytics;
import dev.dripline.analytics.Attribution;
import dev.dripline.analytics.Counters;
import dev.dripline.analytics.Reconciliation;
import dev.dripline.analytics.Tally;
import dev.dripline.audience.Audience;
import dev.dripline.audience.AudienceTable;
import dev.dripline.auth.KeyRateLimit;
import dev.dripline.auth.KeyStore;
import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.consent.ConsentLedger;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactBatch;
import dev.dripline.contacts.ContactStore;
import dev.dripline.contacts.Contacts;
import dev.dripline.contacts.Suppression;
import dev.dripline.conversations.ContactEvents;
import dev.dripline.conversations.Conversations;
import dev.dripline.drip.Campaign;
import dev.dripline.drip.Campaigns;
import dev.dripline.drip.JourneyInbox;
import dev.dripline.drip.JourneyStore;
import dev.dripline.drip.Journeys;
import dev.dripline.gdpr.PersonalData;
import dev.dripline.idempotency.IdempotentRequests;
import dev.dripline.imports.Imports;
import dev.dripline.keywords.KeywordRules;
import dev.dripline.keywords.Replies;
import dev.dripline.links.ShortLinks;
import dev.dripline.media.LocalMediaStore;
import dev.dripline.media.MediaFetcher;
import dev.dripline.media.MediaSources;
import dev.dripline.media.MediaStore;
import dev.dripline.media.ReceivedMedia;
import dev.dripline.messaging.MessageStore;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.Sender;
import dev.dripline.messaging.SenderState;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.outbound.WebhookEndpoints;
import dev.dripline.queue.SqsQueue;
import dev.dripline.receipts.Receipts;
import dev.dripline.schedule.StepScheduler;
import dev.dripline.schedule.Timers;
import dev.dripline.store.PageCursor;
import dev.dripline.store.TableShape;
import dev.dripline.verifications.Verifications;
import dev.dripline.webhooks.aws.CertificateFetcher;
import dev.dripline.webhooks.vonage.InboundParts;
import java.net.InetAddress;
import java.net.http.HttpClient;
import dev.dripline.messaging.SenderSettings;
import dev.dripline.providers.SmsProvider;
import dev.dripline.migrations.pinpoint.PinpointJobs;
import dev.dripline.keywords.KeywordPrograms;
import dev.dripline.signup.SignupForms;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The composition root of the core: builds every service from settings, the AWS clients and a
 * clock. The Lambda handlers and the local runtime each build one; nothing else news a service.
 * Queue-driven functions wire it by hand (no DI container) to keep their cold start short.
 *
 * <p>One lifecycle: every service below is a {@link Lazy}, built on first use, once, whichever
 * thread asks first (clients a function never uses cost it no cold-start time). The block of
 * fields is the one place that says what each service is made of.
 */
public final class Dripline {

    private final Settings settings;
    private final Clock clock;
    private final DynamoDbClient dynamo;
    private final Supplier<ContactEvents> contactEventsOverride;

    // ---- clients
    private final Lazy<SqsClient> sqs;
    private final Lazy<StepScheduler> scheduler;
    private final Lazy<DynamoDbEnhancedClient> enhanced;
    private final Lazy<HttpClient> http = Lazy.of(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build());
    private final Lazy<SqsQueue> sendQueue;
    private final Lazy<SqsQueue> stepsQueue;
    private final Lazy<SqsQueue> importsQueue;
    private final Lazy<CertificateFetcher> snsHttp;

    // ---- stores
    private final Lazy<ContactStore> contactStore;
    private final Lazy<ConsentLedger> consentLedger;
    private final Lazy<MessageStore> messageStore;
    private final Lazy<SenderState> senderState;
    private final Lazy<JourneyStore> journeyStore;
    private final Lazy<Counters> counters;
    private final Lazy<KeyStore> keyStore;
    private final Lazy<KeyRateLimit> keyRateLimit;
    private final Lazy<IdempotentRequests> idempotentRequests;
    private final Lazy<InboundParts> inboundParts;

    // ---- capabilities
    private final Lazy<KeywordRules> keywordRules;
    private final Lazy<ShortLinks> shortLinks;
    private final Lazy<Contacts> contacts;
    private final Lazy<Audience> audience;
    private final Lazy<Imports> imports;
    private final Lazy<PersonalData> personalData;
    private final Lazy<Attribution> attribution;
    private final Lazy<Analytics> analytics;
    private final Lazy<Reconciliation> reconciliation;
    private final Lazy<Messages> messages;
    private final Lazy<dev.dripline.compliance.RegistrationGate> registrationGate;
    private final Lazy<Sender> sender;
    private final Lazy<Receipts> receipts;
    private final Lazy<Conversations> conversations;
    private final Lazy<KeywordPrograms> keywordPrograms;
    private final Lazy<SignupForms> signupForms;
    private final Lazy<PinpointJobs> pinpointJobs;
    private final Lazy<ContactEvents> contactEvents;
    private final Lazy<Verifications> verifications;
    private final Lazy<Campaigns> campaigns;
    private final Lazy<Timers> timers;
    private final Lazy<Journeys> journeys;
    private final Lazy<JourneyInbox> journeyInbox;
    private final Lazy<Broadcasts> broadcasts;
    private final Lazy<WebhookEndpoints> webhookEndpoints;
    private final Lazy<OutboundWebhooks> outboundWebhooks;
    private final Lazy<MediaStore> media;
    private final Lazy<ReceivedMedia> receivedMedia;
    private final Lazy<dev.dripline.media.MediaAttachments> mediaAttachments;

    public Dripline(Settings settings, DynamoDbClient dynamo, SqsClient sqs, StepScheduler scheduler, Clock clock) {
        this(builder(settings, dynamo).sqs(sqs).scheduler(scheduler).clock(clock));
    }

    /**
     * With the clients a function may never use supplied lazily: the sender needs SQS only to
     * delay a retry, and only the API schedules; building a client it does not need would
     * lengthen every cold start.
     */
    public Dripline(Settings settings, DynamoDbClient dynamo, Supplier<SqsClient> sqs, Supplier<StepScheduler> scheduler, Clock clock) {
        this(builder(settings, dynamo).sqs(sqs).scheduler(scheduler).clock(clock));
    }

    /** A core with its clients, clock and test seams given up front. */
    public static DriplineBuilder builder(Settings settings, DynamoDbClient dynamo) {
        return new DriplineBuilder(settings, dynamo);
    }

    Dripline(DriplineBuilder b) {
        this.settings = b.settings;
        this.clock = b.clock;
        this.dynamo = b.dynamo;
        Settings.TableNames t = settings.tables();
        this.contactEventsOverride = b.contactEvents.<Supplier<ContactEvents>>map(e -> () -> e).orElse(null);

        sqs = Lazy.of(b.sqs);
        scheduler = Lazy.of(b.scheduler);
        enhanced = Lazy.of(() -> DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build());
        sendQueue = Lazy.of(() -> new SqsQueue(sqs.get(), settings.sendQueueUrl()));
        stepsQueue = Lazy.of(() -> new SqsQueue(sqs.get(), settings.stepsQueueUrl()));
        importsQueue = Lazy.of(() -> new SqsQueue(sqs.get(), settings.audience().importsQueueUrl()));
        snsHttp = Lazy.of(() -> b.snsHttp.orElseGet(CertificateFetcher::jdk));

        contactStore = Lazy.of(() -> new ContactStore(enhanced.get(), dynamo, t.contacts(), t.audience()));
        consentLedger = Lazy.of(() -> new ConsentLedger(enhanced.get(), t.consent()));
        messageStore = Lazy.of(() -> CoreListeners.onTransitions(new MessageStore(enhanced.get(), dynamo, t.messages(),
                settings.sender().bodyRetention()), this::attribution, this::outboundWebhooks));
        senderState = Lazy.of(() -> new SenderState(dynamo, t.senders()));
        journeyStore = Lazy.of(() -> new JourneyStore(dynamo, t.journeys()));
        counters = Lazy.of(() -> new Counters(dynamo, t.counters(), settings.analytics().counterShards()));
        keyStore = Lazy.of(() -> new KeyStore(dynamo, t.apiKeys(), clock));
        keyRateLimit = Lazy.of(() -> new KeyRateLimit(keyStore(), settings.apiLimits(), clock));
        idempotentRequests = Lazy.of(() -> new IdempotentRequests(dynamo, t.idempotency(), clock));
        inboundParts = Lazy.of(() -> new InboundParts(dynamo, t.idempotency()));

        keywordRules = Lazy.of(() -> KeywordRules.fromJson(settings.replies().keywordsJson()));
        shortLinks = Lazy.of(() -> {
            ShortLinks links = new ShortLinks(dynamo, t.links(), settings.publicUrl(), clock, settings.sender().bodyRetention());
            links.engagement(attribution());
            return links;
        });
        contacts = Lazy.of(() -> CoreListeners.onContacts(new Contacts(contactStore.get(), consentLedger.get(), clock,
                new Suppression(settings.audience().salt())), this));
        audience = Lazy.of(() -> new Audience(dynamo, contactStore.get(), t.audience(), clock));
        imports = Lazy.of(() -> new Imports(dynamo, t.audience(), new ContactBatch(contacts()), importsQueue, clock));
        personalData = Lazy.of(() -> new PersonalData(contacts(), consentLedger(), messageStore(), clock));
        attribution = Lazy.of(() -> new Attribution(counters(), messageStore(), settings.analytics().attributionWindow()));
        analytics = Lazy.of(() -> {
            Analytics a = new Analytics(counters(), clock);
            a.campaignExists(id -> campaigns().find(id).isPresent());
            a.campaignNames(id -> campaigns().find(id).map(Campaign::name).orElse(id));
            return a;
        });
        reconciliation = Lazy.of(() -> new Reconciliation(messageStore(), counters()));
        registrationGate = Lazy.of(() -> new dev.dripline.compliance.RegistrationGate(settings.compliance(),
                dev.dripline.compliance.RulesTable.bundled(), country -> settings.sender().numbers().sendersFor(country)));
        messages = Lazy.of(() -> new Messages(messageStore(), contacts(), sendQueue.get(), scheduler, clock, settings.smartEncoding(),
                settings.brand(), shortLinks(), settings.hasProvider(), settings.topics(),
                () -> new dev.dripline.drip.FrequencyCap(journeyStore.get(), messageStore(), settings.drip().frequencyCap(),
                        dev.dripline.compliance.RulesTable.bundled(), registrationGate.get()),
                this::mediaAttachments));
        sender = Lazy.of(() -> sender(settings.providerSettings().connect(http, settings.sender().providerTimeout()), settings.sender(), clock));
        receipts = Lazy.of(() -> new Receipts(messageStore(), contacts(), outboundWebhooks(), attribution()));
        contactEvents = Lazy.of(() -> contactEventsOverride != null ? contactEventsOverride.get()
                : settings.stepsQueueUrl().isBlank() ? ContactEvents.LOGGED : journeyInbox());
        conversations = Lazy.of(() -> new Conversations(contacts(), messageStore(), this::messages, keywordRules(),
                new Replies(settings.brand(), settings.replies().helpText()), contactEvents.get(), outboundWebhooks(), attribution(),
                keywordPrograms(), signupForms(), settings.topics(), dev.dripline.compliance.RulesTable.bundled())
                .onMedia(m -> receivedMedia().arrived(m)));
        pinpointJobs = Lazy.of(() -> pinpointJobs(settings.pinpointExportBucket().isBlank() ? null : settings.pinpointExportBucket()));
        keywordPrograms = Lazy.of(() -> new KeywordPrograms(dynamo, t.keywords(), keywordRules(), settings.brand(), clock,
                settings.topics()));
        // Sign-up forms share the keywords table (list growth): forms, submissions waiting for their Y, abuse counts.
        signupForms = Lazy.of(() -> new SignupForms(dynamo, t.keywords(), settings.signup(), contacts(), this::messages, settings.brand(), clock));
        verifications = Lazy.of(() -> new Verifications(dynamo, t.verifications(), settings.verification(), this::messages, clock,
                settings.brand()));
        campaigns = Lazy.of(() -> new Campaigns(dynamo, t.campaigns(), clock));
        timers = Lazy.of(() -> new Timers(scheduler, stepsQueue, clock, settings.drip().queueDelayUpTo()));
        journeys = Lazy.of(() -> new Journeys(campaigns(), journeyStore.get(), contacts(), this::messages, messageStore(), dynamo, timers(),
                this::outboundWebhooks, this::tally, clock, settings.brand(), settings.drip().frequencyCap(), this::segmentMatcher,
                registrationGate.get()));
        journeyInbox = Lazy.of(() -> new JourneyInbox(contacts(), journeyStore.get(), campaigns(), timers(), clock));
        broadcasts = Lazy.of(() -> new Broadcasts(dynamo, t.campaigns(), t.journeys(), audience(), contacts(), this::messages,
                messageStore(), timers(), this::tally, clock, settings.brand(), settings.drip().frequencyCap(), registrationGate.get()));
        webhookEndpoints = Lazy.of(() -> new WebhookEndpoints(dynamo, t.webhooks(), settings.outboundWebhook().endpointPolicy(),
                InetAddress::getAllByName, clock));
        // Without a store given (tests, a core without media), in memory, its fetch URLs signed with a key of this process.
        media = Lazy.of(b.media.orElse(() -> LocalMediaStore.inMemory(settings.publicUrl(), processKey(), clock)));
        // Inbound MMS media: fetched on the steps queue (off the webhook's critical path) when there is one.
        receivedMedia = Lazy.of(() -> new ReceivedMedia(messageStore(), media, new MediaSources(settings.inboundMedia(),
                settings.providerSettings(), settings.publicUrl(), clock), new MediaFetcher(http.get(), settings.inboundMedia().maxBytes(),
                settings.inboundMedia().timeout()), settings.stepsQueueUrl().isBlank() ? Optional.empty() : Optional.of(timers),
                settings.inboundMedia().maxAttempts(), clock));
        mediaAttachments = Lazy.of(() -> new dev.dripline.media.MediaAttachments(this::media, settings.media(),
                country -> settings.sender().routes().providersFor(country, settings.providers())));
        outboundWebhooks = Lazy.of(() -> new OutboundWebhooks(settings.outboundWebhook(), stepsQueue, http, clock, webhookEndpoints()));

        // Fail the start, not the first use: the erasure salt keys page cursors; a wrong DRIPLINE_KEYWORDS fails here, not at the first STOP.
        PageCursor.keyFrom(settings.audience().salt());
        keywordRules.get();
    }

    /** The core as a Lambda function builds it: see {@link LambdaCore}. */
    public static Dripline fromEnvironment(Map<String, String> env) {
        return LambdaCore.fromEnvironment(env);
    }

    /** Every table the core uses, with its keys, indexes and TTL. */
    public static List<TableShape> tables(Settings.TableNames names) {
        return List.of(
                ContactStore.shape(names.contacts()),
                ConsentLedger.shape(names.consent()),
                MessageStore.shape(names.messages()),
                // Idempotency-Key records and Vonage's long-message parts: keyed, expiring.
                InboundParts.shape(names.idempotency()),
                AudienceTable.shape(names.audience()),
                SenderState.shape(names.senders()),
                ShortLinks.shape(names.links()),
                Campaigns.shape(names.campaigns()),
                JourneyStore.shape(names.journeys()),
                Counters.shape(names.counters()),
                KeyStore.shape(names.apiKeys()),
                Verifications.shape(names.verifications()),
                WebhookEndpoints.shape(names.webhooks()),
                KeywordPrograms.shape(names.keywords()));
    }

    /** Creates missing tables (the local runtime and tests; on AWS template.yaml owns them). */
    public void createTables() {
        tables(settings.tables()).forEach(t -> t.createIfMissing(dynamo));
    }

    /**
     * Fails naming what is missing when DRIPLINE_PROVIDERS names a provider that is not fully
     * configured (credentials, sender) or not supported; builds nothing (the local runtime checks
     * before it starts its engines).
     */
    public static void checkProviders(Settings settings) {
        settings.providerSettings().accounts();
    }

    private Journeys.SegmentMatcher segmentMatcher() {
        Audience a = audience();
        return new Journeys.SegmentMatcher() {
            @Override
            public boolean matches(String segmentId, Contact contact) {
                return a.inSegment(segmentId, contact);
            }

            @Override
            public Audience.Page withAttribute(String attribute, String cursor) {
                return a.withAttribute(attribute, cursor);
            }
        };
    }

    // ---- the services, as the handlers and the local runtime ask for them

    /** Pinpoint migrations (POST /v1/migrations/pinpoint): recorded in the audience table, run where imports run. */
    public PinpointJobs pinpointJobs() {
        return pinpointJobs.get();
    }

    /** Pinpoint migrations over a given bucket (a queued job names the bucket it was started with). */
    public PinpointJobs pinpointJobs(String exportBucket) {
        return new PinpointJobs(dynamo, settings.tables().audience(), importsQueue, clock, exportBucket);
    }

    public Settings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    /** Where the drip engine and broadcasts count what happens to campaigns: {@code tally().add(origin, metric, 1)}. */
    public Tally tally() {
        return counters.get();
    }

    public Counters counters() {
        return counters.get();
    }

    /** Campaign stats, broadcast counts and the dashboard's overview. */
    public Analytics analytics() {
        return analytics.get();
    }

    /** Recounts campaigns' and broadcasts' counters from their message items. */
    public Reconciliation reconciliation() {
        return reconciliation.get();
    }

    /** The HTTP SNS signing certificates and subscription confirmations go through. */
    public CertificateFetcher snsHttp() {
        return snsHttp.get();
    }

    public KeywordRules keywordRules() {
        return keywordRules.get();
    }

    public Contacts contacts() {
        return contacts.get();
    }

    /** Finding contacts by phone, tag and segment; segments. */
    public Audience audience() {
        return audience.get();
    }

    public Imports imports() {
        return imports.get();
    }

    public PersonalData personalData() {
        return personalData.get();
    }

    public ConsentLedger consentLedger() {
        return consentLedger.get();
    }

    public MessageStore messageStore() {
        return messageStore.get();
    }

    public SenderState senderState() {
        return senderState.get();
    }

    public ShortLinks shortLinks() {
        return shortLinks.get();
    }

    /** API keys created through the API (the configured DRIPLINE_API_KEY is held apart, by the HTTP layer). */
    public KeyStore keyStore() {
        return keyStore.get();
    }

    /** Requests per API key, shared by every instance through DynamoDB. */
    public KeyRateLimit keyRateLimit() {
        return keyRateLimit.get();
    }

    /** One-time codes by SMS, sent through {@link #messages()}. */
    public Verifications verifications() {
        return verifications.get();
    }

    public Messages messages() {
        return messages.get();
    }

    public Campaigns campaigns() {
        return campaigns.get();
    }

    /** Puts work on the steps queue now, after a short delay, or by a one-time schedule. */
    public Timers timers() {
        return timers.get();
    }

    /** The drip engine. */
    public Journeys journeys() {
        return journeys.get();
    }

    /** Events, replies and opt-outs handed to the engine through the steps queue. */
    public JourneyInbox journeyInbox() {
        return journeyInbox.get();
    }

    /** One-off sends to tags or a segment, fanned out a page at a time. */
    public Broadcasts broadcasts() {
        return broadcasts.get();
    }

    /** The first answers to requests made with an Idempotency-Key, for their retries. */
    public IdempotentRequests idempotentRequests() {
        return idempotentRequests.get();
    }

    /** The parts of long inbound messages until they are whole (Vonage delivers them one by one). */
    public InboundParts inboundParts() {
        return inboundParts.get();
    }

    public Receipts receipts() {
        return receipts.get();
    }

    /** Media on outbound messages: resolved, checked against provider limits, handed to providers. */
    public dev.dripline.media.MediaAttachments mediaAttachments() {
        return mediaAttachments.get();
    }

    /** Media bytes, uploaded and received: S3 on AWS, a directory or memory locally. */
    public MediaStore media() {
        return media.get();
    }

    /** Inbound MMS media: fetched from the provider, stored, recorded on the message. */
    public ReceivedMedia receivedMedia() {
        return receivedMedia.get();
    }

    private static byte[] processKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    /** Integrators' events: queued on the steps queue, delivered (and retried) by the steps function. */
    public OutboundWebhooks outboundWebhooks() {
        return outboundWebhooks.get();
    }

    /** Integrators' webhook endpoints (/v1/webhook-endpoints) and their delivery logs. */
    public WebhookEndpoints webhookEndpoints() {
        return webhookEndpoints.get();
    }

    public Conversations conversations() {
        return conversations.get();
    }

    /** The keyword programs of /v1/keywords: one per process, so its short cache is shared and an edit here refreshes it. */
    public SignupForms signupForms() {
        return signupForms.get();
    }

    public KeywordPrograms keywordPrograms() {
        return keywordPrograms.get();
    }

    public Sender sender() {
        return sender.get();
    }

    /** A sender built as {@link #sender()} is (shared state, scheduler, send queue) over other providers, policy or clock. */
    public Sender sender(List<? extends SmsProvider> providers, SenderSettings policy, Clock clock) {
        return new Sender(messageStore(), contacts(), sendQueue, List.copyOf(providers), policy, settings.requirePublicUrl("sender"), clock,
                senderState(), scheduler, mediaAttachments());
    }

    private Attribution attribution() {
        return attribution.get();
    }
}
