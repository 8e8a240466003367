package dev.dripline;

import dev.dripline.analytics.Analytics;
import dev.dripline.analytics.Attribution;
import dev.dripline.analytics.Counters;
import dev.dripline.analytics.Reconciliation;
import dev.dripline.analytics.Tally;
import dev.dripline.audience.Audience;
import dev.dripline.auth.KeyRateLimit;
import dev.dripline.auth.KeyStore;
import dev.dripline.verifications.Verifications;
import dev.dripline.audience.AudienceTable;
import dev.dripline.consent.ConsentLedger;
import dev.dripline.contacts.ContactBatch;
import dev.dripline.contacts.Suppression;
import dev.dripline.conversations.DoubleOptIn;
import dev.dripline.gdpr.PersonalData;
import dev.dripline.imports.Imports;
import dev.dripline.contacts.ContactStore;
import dev.dripline.contacts.Contacts;
import dev.dripline.conversations.ContactEvents;
import dev.dripline.conversations.Conversations;
import dev.dripline.keywords.KeywordRules;
import dev.dripline.keywords.Replies;
import dev.dripline.messaging.MessageStore;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.Sender;
import dev.dripline.messaging.SenderState;
import dev.dripline.links.ShortLinks;
import dev.dripline.providers.AwsSmsProvider;
import dev.dripline.providers.PlivoProvider;
import dev.dripline.providers.SimulatorProvider;
import dev.dripline.providers.TelnyxProvider;
import dev.dripline.providers.TwilioProvider;
import dev.dripline.providers.VonageProvider;
import dev.dripline.providers.SmsProvider;
import dev.dripline.queue.SqsQueue;
import dev.dripline.receipts.Receipts;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.secrets.SecretValues;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import dev.dripline.webhooks.vonage.InboundParts;
import dev.dripline.webhooks.aws.CertificateFetcher;
import dev.dripline.schedule.EventBridgeScheduler;
import dev.dripline.schedule.StepScheduler;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import dev.dripline.store.TableShape;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import dev.dripline.json.Json;
import dev.dripline.messaging.SendRequest;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The composition root of the core: builds every service from settings, the AWS clients and a
 * clock. The Lambda handlers and the local runtime each build one; nothing else news a service.
 * Queue-driven functions wire it by hand (no DI container) to keep their cold start short.
 */
public final class Dripline {

    private final Settings settings;
    private final Clock clock;
    private final DynamoDbClient dynamo;
    private final ContactStore contactStore;
    private final ConsentLedger consentLedger;
    private final MessageStore messageStore;
    private final Contacts contacts;
    private final Supplier<SqsClient> sqs;
    private final Supplier<StepScheduler> scheduler;
    private final KeywordRules keywordRules;
    /** Null: the journeys engine's inbox (the steps queue), once a steps queue is configured. */
    private volatile ContactEvents contactEvents;
    private volatile CertificateFetcher snsHttp;
    private volatile OutboundWebhooks outboundWebhooks;
    private volatile dev.dripline.outbound.WebhookEndpoints webhookEndpoints;
    private final Supplier<SqsQueue> sendQueue;
    private final Supplier<SqsQueue> importsQueue;
    private final Audience audience;
    private volatile Messages messages;
    private volatile Sender sender;
    private final SenderState senderState;
    private final ShortLinks shortLinks;
    private final dev.dripline.drip.Campaigns campaigns;
    private final Supplier<SqsQueue> stepsQueue;
    private volatile dev.dripline.drip.Journeys journeys;
    private volatile dev.dripline.drip.JourneyInbox journeyInbox;
    private volatile dev.dripline.broadcasts.Broadcasts broadcasts;
    private final Counters counters;
    private final Attribution attribution;
    private final Analytics analytics;

    public Dripline(Settings settings, DynamoDbClient dynamo, SqsClient sqs, StepScheduler scheduler, Clock clock) {
        this(settings, dynamo, () -> sqs, () -> scheduler, clock);
    }

    /**
     * With the clients a function may never use supplied lazily: the sender needs SQS only to
     * delay a retry, and only the API schedules; building a client it does not need would
     * lengthen every cold start.
     */
    public Dripline(Settings settings, DynamoDbClient dynamo, Supplier<SqsClient> sqs, Supplier<StepScheduler> scheduler, Clock clock) {
        this.settings = settings;
        this.scheduler = memoize(scheduler);
        this.clock = clock;
        this.dynamo = dynamo;
        this.sqs = memoize(sqs);
        this.sendQueue = memoize(() -> new SqsQueue(this.sqs.get(), settings.sendQueueUrl()));
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        this.contactStore = new ContactStore(enhanced, dynamo, settings.tables().contacts(), settings.tables().audience());
        this.consentLedger = new ConsentLedger(enhanced, settings.tables().consent());
        this.messageStore = new MessageStore(enhanced, dynamo, settings.tables().messages(), settings.sender().bodyRetention());
        this.senderState = new SenderState(dynamo, settings.tables().senders());
        this.shortLinks = new ShortLinks(dynamo, settings.tables().links(), settings.publicUrl(), clock, settings.sender().bodyRetention());
        dev.dripline.store.PageCursor.keyFrom(settings.audience().suppressionSalt());
        this.contacts = new Contacts(enhanced, contactStore, consentLedger, clock, new Suppression(settings.audience().suppressionSalt()));
        this.importsQueue = memoize(() -> new SqsQueue(this.sqs.get(), settings.audience().importsQueueUrl()));
        this.stepsQueue = memoize(() -> new SqsQueue(this.sqs.get(), settings.stepsQueueUrl()));
        this.campaigns = new dev.dripline.drip.Campaigns(dynamo, settings.tables().campaigns(), clock);
        this.audience = new Audience(dynamo, contactStore, settings.tables().audience(), clock);
        DoubleOptIn doubleOptIn = new DoubleOptIn(this::messages, settings.brand());
        this.contacts.onPending(doubleOptIn::ask);
        if (!settings.stepsQueueUrl().isBlank()) {
            // Segment-triggered campaigns hear of contacts that changed.
            this.contacts.onChanged(c -> journeyInbox().contactChanged(c));
            // Integrators hear of opt-ins and opt-outs (contact.opted_in, contact.opted_out), one event per ledger entry.
            this.contacts.onConsentChanged((entry, phone) -> outboundWebhooks().publish(
                    entry.status() == dev.dripline.consent.ConsentStatus.OPTED_IN ? "contact.opted_in" : "contact.opted_out",
                    "evt_" + entry.entryId().substring(entry.entryId().indexOf('#') + 1), entry.recordedAt(),
                    OutboundWebhooks.consentData(entry, phone)));
        }
        // A wrong DRIPLINE_KEYWORDS fails the start, not the first STOP.
        this.keywordRules = KeywordRules.fromJson(settings.replies().keywordsJson());
        // Analytics listens to messages' transitions, clicks, replies and opt-outs.
        this.counters = new Counters(dynamo, settings.tables().counters(), settings.analytics().counterShards());
        this.attribution = new Attribution(counters, messageStore, settings.analytics().attributionWindow());
        this.analytics = new Analytics(counters, clock);
        analytics.campaignExists(id -> campaigns.find(id).isPresent());
        analytics.campaignNames(id -> campaigns.find(id).map(dev.dripline.drip.Campaign::name).orElse(id));
        messageStore.onTransitions(new MessageStore.Transitions() {
            @Override
            public void handedOver(String messageId, dev.dripline.messaging.Origin origin, Integer segments, java.math.BigDecimal cost,
                                   java.time.Instant at) {
                attribution.handedOver(messageId, origin, segments, cost, at);
            }

            @Override
            public void statusChanged(String messageId, dev.dripline.messaging.Origin origin, dev.dripline.messaging.MessageStatus from,
                                      dev.dripline.messaging.MessageStatus to, java.time.Instant at) {
                attribution.statusChanged(messageId, origin, from, to, at);
                // Receipts tell integrators of their own changes; an unknown outcome is the sender's finding.
                if (to == dev.dripline.messaging.MessageStatus.UNKNOWN && outboundWebhooks().enabled()) {
                    outboundWebhooks().publish("message.status", "evt_" + messageId + "_sender:unknown", at,
                            new java.util.LinkedHashMap<>(java.util.Map.of("messageId", messageId, "status", to.wire())));
                }
            }
        });
        shortLinks.engagement(attribution);
    }

    /** Where the drip engine and broadcasts count what happens to campaigns: {@code tally().add(origin, metric, 1)}. */
    public Tally tally() {
        return counters;
    }

    public Counters counters() {
        return counters;
    }

    /** Campaign stats, broadcast counts and the dashboard's overview. */
    public Analytics analytics() {
        return analytics;
    }

    /** Recounts campaigns' and broadcasts' counters from their message items. */
    public Reconciliation reconciliation() {
        return new Reconciliation(messageStore, counters);
    }

    /** The HTTP seam SNS signing certificates and subscription confirmations go through (tests serve their own). */
    public void snsHttp(CertificateFetcher fetcher) {
        this.snsHttp = fetcher;
    }

    public CertificateFetcher snsHttp() {
        CertificateFetcher f = snsHttp;
        if (f == null) {
            f = CertificateFetcher.jdk();
            snsHttp = f;
        }
        return f;
    }

    /** Where keyword events go; the journeys engine plugs in here (tests record them). */
    public void contactEvents(ContactEvents events) {
        this.contactEvents = events;
    }

    private ContactEvents contactEvents() {
        ContactEvents e = contactEvents;
        if (e != null) {
            return e;
        }
        return settings.stepsQueueUrl().isBlank() ? ContactEvents.LOGGED : journeyInbox();
    }

    public KeywordRules keywordRules() {
        return keywordRules;
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            v = supplier.get();
                            value = v;
                        }
                    }
                }
                return v;
            }
        };
    }

    /**
     * The core as a Lambda function builds it: settings from the environment, SDK clients on
     * the URL-connection HTTP client (the quickest to start), the system clock.
     * DRIPLINE_DYNAMODB_ENDPOINT and DRIPLINE_SQS_ENDPOINT point the clients elsewhere
     * (benchmarks, LocalStack).
     */
    public static Dripline fromEnvironment(Map<String, String> env) {
        Region region = Region.of(env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1")));
        // Lambda puts the role's credentials in the environment: reading them there skips the
        // default provider chain's class loading and probing.
        AwsCredentialsProvider credentials = env.containsKey("AWS_ACCESS_KEY_ID")
                ? EnvironmentVariableCredentialsProvider.create() : DefaultCredentialsProvider.builder().build();
        if (SecretValues.anyArn(env)) {
            // Only when a secret is configured: the client costs cold-start time.
            try (SecretsManagerClient secrets = SecretsManagerClient.builder().region(region).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                env = SecretValues.resolve(env, arn -> secrets.getSecretValue(r -> r.secretId(arn)).secretString());
            }
        }
        Settings settings = Settings.from(env);
        if (!settings.hasProvider()) {
            org.slf4j.LoggerFactory.getLogger(Dripline.class).warn("no SMS provider configured (DRIPLINE_PROVIDERS is empty, or names"
                    + " simulator without DRIPLINE_SIMULATOR_URL): sends are"
                    + " refused with 503 until the Providers parameter names one (e.g. twilio) with its secret");
        }
        Map<String, String> resolved = env;
        // The SQS client and the JSON mapper load on the second core while this thread builds
        // the DynamoDB client that every function needs first.
        CompletableFuture<SqsClient> sqs = CompletableFuture.supplyAsync(() -> {
            var builder = SqsClient.builder().region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create());
            Optional.ofNullable(resolved.get("DRIPLINE_SQS_ENDPOINT")).map(URI::create).ifPresent(builder::endpointOverride);
            return builder.build();
        });
        CompletableFuture.runAsync(() -> Json.read(Json.write(new SendRequest("msg_warm")), SendRequest.class));
        var dynamo = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create());
        Optional.ofNullable(env.get("DRIPLINE_DYNAMODB_ENDPOINT")).map(URI::create).ifPresent(dynamo::endpointOverride);
        Supplier<StepScheduler> scheduler = () -> new EventBridgeScheduler(
                SchedulerClient.builder().region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build(),
                settings.scheduler().group(), settings.scheduler().stepsQueueArn(), settings.scheduler().roleArn(),
                resolved.getOrDefault("DRIPLINE_SCHEDULER_DEAD_LETTER_ARN", ""));
        return new Dripline(settings, dynamo.build(), sqs::join, scheduler, Clock.systemUTC());
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
                dev.dripline.drip.Campaigns.shape(names.campaigns()),
                dev.dripline.drip.JourneyStore.shape(names.journeys()),
                Counters.shape(names.counters()),
                KeyStore.shape(names.apiKeys()),
                Verifications.shape(names.verifications()),
                dev.dripline.outbound.WebhookEndpoints.shape(names.webhooks()),
                dev.dripline.keywords.KeywordPrograms.shape(names.keywords()));
    }

    /** Creates missing tables (the local runtime and tests; on AWS template.yaml owns them). */
    public void createTables() {
        tables(settings.tables()).forEach(t -> t.createIfMissing(dynamo));
    }

    public Settings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    public Contacts contacts() {
        return contacts;
    }

    /** Finding contacts by phone, tag and segment; segments. */
    public Audience audience() {
        return audience;
    }

    public Imports imports() {
        return new Imports(dynamo, settings.tables().audience(), new ContactBatch(contacts), importsQueue, clock);
    }

    public PersonalData personalData() {
        return new PersonalData(contacts, consentLedger, messageStore, clock);
    }

    public ConsentLedger consentLedger() {
        return consentLedger;
    }

    public MessageStore messageStore() {
        return messageStore;
    }

    public SenderState senderState() {
        return senderState;
    }

    public ShortLinks shortLinks() {
        return shortLinks;
    }

    /** API keys created through the API (the configured DRIPLINE_API_KEY is held apart, by the HTTP layer). */
    public KeyStore keyStore() {
        return new KeyStore(dynamo, settings.tables().apiKeys(), clock);
    }

    /** Requests per API key, shared by every instance through DynamoDB. */
    public KeyRateLimit keyRateLimit() {
        return new KeyRateLimit(dynamo, settings.tables().apiKeys(), settings.apiLimits(), clock);
    }

    /** One-time codes by SMS, sent through {@link #messages()}. */
    public Verifications verifications() {
        return new Verifications(dynamo, settings.tables().verifications(), settings.verification(), this::messages, clock,
                settings.brand());
    }

    public Messages messages() {
        Messages m = messages;
        if (m == null) {
            m = new Messages(messageStore, contacts, sendQueue.get(), scheduler, clock,
                    settings.smartEncoding(), settings.brand(), shortLinks, settings.hasProvider());
            messages = m;
        }
        return m;
    }

    public dev.dripline.drip.Campaigns campaigns() {
        return campaigns;
    }

    /** Puts work on the steps queue now, after a short delay, or by a one-time schedule. */
    public dev.dripline.schedule.Timers timers() {
        return new dev.dripline.schedule.Timers(scheduler, stepsQueue, clock, settings.drip().queueDelayUpTo());
    }

    /** The drip engine. */
    public dev.dripline.drip.Journeys journeys() {
        dev.dripline.drip.Journeys j = journeys;
        if (j == null) {
            j = new dev.dripline.drip.Journeys(campaigns, new dev.dripline.drip.JourneyStore(dynamo, settings.tables().journeys()), contacts,
                    this::messages, messageStore, dynamo, timers(), this::outboundWebhooks, this::tally, clock, settings.brand(),
                    settings.drip().frequencyCap(), () -> new dev.dripline.drip.Journeys.SegmentMatcher() {
                        @Override
                        public boolean matches(String segmentId, dev.dripline.contacts.Contact contact) {
                            return dev.dripline.audience.SegmentFilter.parse(audience.segment(segmentId).filter()).matches(contact);
                        }

                        @Override
                        public Audience.Page withAttribute(String attribute, String cursor) {
                            return audience.matching(dev.dripline.audience.SegmentFilter.parse(Map.of("attribute", attribute, "exists", true)),
                                    200, cursor);
                        }
                    });
            journeys = j;
        }
        return j;
    }

    /** Events, replies and opt-outs handed to the engine through the steps queue. */
    public dev.dripline.drip.JourneyInbox journeyInbox() {
        dev.dripline.drip.JourneyInbox i = journeyInbox;
        if (i == null) {
            i = new dev.dripline.drip.JourneyInbox(contacts, new dev.dripline.drip.JourneyStore(dynamo, settings.tables().journeys()),
                    campaigns, timers(), clock);
            journeyInbox = i;
        }
        return i;
    }

    /** One-off sends to tags or a segment, fanned out a page at a time. */
    public dev.dripline.broadcasts.Broadcasts broadcasts() {
        dev.dripline.broadcasts.Broadcasts b = broadcasts;
        if (b == null) {
            b = new dev.dripline.broadcasts.Broadcasts(dynamo, settings.tables().campaigns(), settings.tables().journeys(), audience, contacts,
                    this::messages, messageStore, timers(), this::tally, clock, settings.brand(), settings.drip().frequencyCap());
            broadcasts = b;
        }
        return b;
    }

    /** The first answers to requests made with an Idempotency-Key, for their retries. */
    public dev.dripline.idempotency.IdempotentRequests idempotentRequests() {
        return new dev.dripline.idempotency.IdempotentRequests(dynamo, settings.tables().idempotency(), clock);
    }

    /** The parts of long inbound messages until they are whole (Vonage delivers them one by one). */
    public InboundParts inboundParts() {
        return new InboundParts(dynamo, settings.tables().idempotency());
    }

    public Receipts receipts() {
        return new Receipts(messageStore, contacts, outboundWebhooks(), attribution);
    }

    /** Integrators' events: queued on the steps queue, delivered (and retried) by the steps function. */
    public OutboundWebhooks outboundWebhooks() {
        OutboundWebhooks w = outboundWebhooks;
        if (w == null) {
            w = new OutboundWebhooks(settings.outboundWebhook(), memoize(() -> new SqsQueue(sqs.get(), settings.stepsQueueUrl())),
                    memoize(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()), clock, webhookEndpoints());
            outboundWebhooks = w;
        }
        return w;
    }

    /** Integrators' webhook endpoints (/v1/webhook-endpoints) and their delivery logs. */
    public dev.dripline.outbound.WebhookEndpoints webhookEndpoints() {
        dev.dripline.outbound.WebhookEndpoints e = webhookEndpoints;
        if (e == null) {
            e = new dev.dripline.outbound.WebhookEndpoints(dynamo, settings.tables().webhooks(), settings.outboundWebhook().endpointPolicy(),
                    java.net.InetAddress::getAllByName, clock);
            webhookEndpoints = e;
        }
        return e;
    }

    public Conversations conversations() {
        return new Conversations(contacts, messageStore, this::messages, keywordRules,
                new Replies(settings.brand(), settings.replies().helpText()), contactEvents(), outboundWebhooks(), attribution,
                keywordPrograms());
    }

    private volatile dev.dripline.keywords.KeywordPrograms keywordPrograms;

    /** The keyword programs of /v1/keywords: one per process, so its short cache is shared and an edit here refreshes it. */
    public dev.dripline.keywords.KeywordPrograms keywordPrograms() {
        dev.dripline.keywords.KeywordPrograms k = keywordPrograms;
        if (k == null) {
            k = new dev.dripline.keywords.KeywordPrograms(dynamo, settings.tables().keywords(), keywordRules, settings.brand(), clock);
            keywordPrograms = k;
        }
        return k;
    }

    public Sender sender() {
        Sender s = sender;
        if (s == null) {
            s = new Sender(messageStore, contacts, sendQueue, providers(), settings.sender(), settings.requirePublicUrl("sender"), clock,
                    senderState, scheduler);
            sender = s;
        }
        return s;
    }

    /**
     * Fails naming what is missing when DRIPLINE_PROVIDERS names a provider that is not fully
     * configured (credentials, sender) or not supported; builds nothing (the local runtime checks
     * before it starts its engines).
     */
    public static void checkProviders(Settings settings) {
        for (String name : settings.providers()) {
            boolean configured = switch (name) {
                case "simulator" -> settings.simulator().url().isPresent();
                case "twilio" -> settings.twilio().isPresent();
                case "plivo" -> settings.plivo().isPresent();
                case "telnyx" -> settings.telnyx().isPresent();
                case "vonage" -> settings.vonage().isPresent();
                case "aws" -> settings.aws().isPresent();
                default -> throw new IllegalStateException("DRIPLINE_PROVIDERS names '" + name
                        + "', which this version does not support (supported: simulator, twilio, plivo, telnyx, vonage, aws)");
            };
            if (!configured) {
                throw name.equals("simulator")
                        ? new IllegalStateException("DRIPLINE_PROVIDERS names simulator but DRIPLINE_SIMULATOR_URL is not set")
                        : unconfigured(settings, name);
            }
        }
    }

    /** The providers DRIPLINE_PROVIDERS names, in its order; fails start-up naming what is missing. */
    private List<SmsProvider> providers() {
        checkProviders(settings);
        Duration timeout = settings.sender().providerTimeout();
        Supplier<HttpClient> http = memoize(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build());
        List<SmsProvider> list = new ArrayList<>();
        for (String name : settings.providers()) {
            switch (name) {
                case "simulator" -> list.add(new SimulatorProvider(http.get(),
                        settings.simulator().url().orElseThrow(() -> new IllegalStateException(
                                "DRIPLINE_PROVIDERS names simulator but DRIPLINE_SIMULATOR_URL is not set"))));
                case "twilio" -> list.add(new TwilioProvider(http.get(), settings.twilio().orElseThrow(() -> unconfigured(name)), timeout));
                case "plivo" -> list.add(new PlivoProvider(http.get(), settings.plivo().orElseThrow(() -> unconfigured(name)), timeout));
                case "telnyx" -> list.add(new TelnyxProvider(http.get(), settings.telnyx().orElseThrow(() -> unconfigured(name)), timeout));
                case "vonage" -> list.add(new VonageProvider(http.get(), settings.vonage().orElseThrow(() -> unconfigured(name)), timeout));
                case "aws" -> list.add(AwsSmsProvider.fromSettings(settings.aws().orElseThrow(() -> unconfigured(name)), timeout));
                default -> throw new IllegalStateException("DRIPLINE_PROVIDERS names '" + name
                        + "', which this version does not support (supported: simulator, twilio, plivo, telnyx, vonage, aws)");
            }
        }
        return list;
    }

    private IllegalStateException unconfigured(String provider) {
        return unconfigured(settings, provider);
    }

    private static IllegalStateException unconfigured(Settings settings, String provider) {
        List<String> missing = settings.missingProviderVariables().getOrDefault(provider, List.of());
        return new IllegalStateException("DRIPLINE_PROVIDERS names " + provider + " but " + String.join(", ", missing)
                + (missing.size() == 1 ? " is" : " are") + " not set");
    }
}
