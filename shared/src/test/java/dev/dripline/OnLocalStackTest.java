package dev.dripline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.contacts.ContactInput;
import dev.dripline.contacts.Contacts;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.RunsOnLocalStack;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stores against LocalStack's DynamoDB and SQS, where a Docker engine runs (skipped
 * elsewhere). The whole suite can run there too: {@code mvn verify -Ddripline.engines=localstack}.
 */
@ExtendWith(EnginesExtension.class)
@RunsOnLocalStack
class OnLocalStackTest {

    @Test
    void contactsAndMessagesBehaveTheSameOnLocalStack(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        Contacts.Upserted created = core.contacts().upsert(new ContactInput("+14155550160", null, "Ada", null, null, null, null, null, null), "t");
        assertThat(core.contacts().upsert(new ContactInput("+14155550160", null, null, null, null, null, null, null, null), "t").created())
                .isFalse();
        Message m = core.messages().submit(new OneOffMessage("+14155550160", null, "hi", "transactional", null, null), "t");
        core.messageStore().recordStatus(m.id(), MessageStatus.DELIVERED, null, Instant.now(), "p:delivered");
        core.messageStore().recordStatus(m.id(), MessageStatus.SENT, null, Instant.now(), "p:sent");
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(created.created()).isTrue();
    }
}
