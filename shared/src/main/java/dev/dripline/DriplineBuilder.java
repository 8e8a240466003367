package dev.dripline;

import dev.dripline.conversations.ContactEvents;
import dev.dripline.media.MediaStore;
import dev.dripline.schedule.StepScheduler;
import dev.dripline.webhooks.aws.CertificateFetcher;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a {@link Dripline} is built from: settings and DynamoDB (always needed), the clients a
 * function may never use (SQS, the scheduler: supplied lazily, built on first use), the clock,
 * and the seams tests replace, all given before the core is built.
 */
public final class DriplineBuilder {

    final Settings settings;
    final DynamoDbClient dynamo;
    Supplier<SqsClient> sqs = () -> {
        throw new IllegalStateException("this core was built without an SQS client");
    };
    Supplier<StepScheduler> scheduler = () -> {
        throw new IllegalStateException("this core was built without a scheduler");
    };
    Clock clock = Clock.systemUTC();
    Optional<ContactEvents> contactEvents = Optional.empty();
    Optional<CertificateFetcher> snsHttp = Optional.empty();
    Optional<Supplier<MediaStore>> media = Optional.empty();

    DriplineBuilder(Settings settings, DynamoDbClient dynamo) {
        this.settings = settings;
        this.dynamo = dynamo;
    }

    public DriplineBuilder sqs(Supplier<SqsClient> sqs) {
        this.sqs = sqs;
        return this;
    }

    public DriplineBuilder sqs(SqsClient sqs) {
        return sqs(() -> sqs);
    }

    public DriplineBuilder scheduler(Supplier<StepScheduler> scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    public DriplineBuilder scheduler(StepScheduler scheduler) {
        return scheduler(() -> scheduler);
    }

    public DriplineBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Where keyword events go instead of the journeys engine (tests record them). */
    public DriplineBuilder contactEvents(ContactEvents events) {
        this.contactEvents = Optional.of(events);
        return this;
    }

    /** The HTTP seam SNS signing certificates and subscription confirmations go through (tests serve their own). */
    public DriplineBuilder snsHttp(CertificateFetcher fetcher) {
        this.snsHttp = Optional.of(fetcher);
        return this;
    }

    /** Where media bytes are kept (S3 on AWS, a directory locally); without it, in memory. */
    public DriplineBuilder media(Supplier<MediaStore> media) {
        this.media = Optional.of(media);
        return this;
    }

    public Dripline build() {
        return new Dripline(this);
    }
}
