package dev.dripline.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.TestCore;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.media.MediaInput;
import dev.dripline.media.StoredMedia;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sender hands a message's media to the provider as signed fetch URLs, skips a provider whose
 * limits the media breaks for the next one in the route, and prices an MMS with its own price.
 */
@ExtendWith(EnginesExtension.class)
class SenderMmsTest {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D};

    private Dripline core;

    @BeforeEach
    void fresh(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC()).dripline;
    }

    @Test
    void aProviderThatCannotCarryTheMediaIsSkippedForTheNextAndTheMmsHasItsOwnPrice() {
        StoredMedia a = core.media().put("image/png", PNG);
        StoredMedia b = core.media().put("image/png", PNG);
        Message m = core.messages().submit(new OneOffMessage("+14155550170", null, "Two pictures", "transactional", null, null, null,
                null, null, List.of(new MediaInput(null, a.id()), new MediaInput(null, b.id())), null), "test");
        assertThat(m.media()).hasSize(2);
        assertThat(m.segments()).isEqualTo(1);
        SenderTest.ScriptedProvider vonage = new SenderTest.ScriptedProvider("vonage");
        SenderTest.ScriptedProvider twilio = new SenderTest.ScriptedProvider("twilio");
        SenderSettings policy = Settings.from(Map.of("DRIPLINE_PRICES", "twilio:US=0.0079;twilio:US:mms=0.0200")).sender();

        core.sender(List.of(vonage, twilio), policy, Clock.systemUTC()).send(new SendRequest(m.id()));

        assertThat(vonage.calls).as("vonage carries one attachment per message").isEmpty();
        assertThat(twilio.calls).hasSize(1);
        assertThat(twilio.calls.get(0).media()).extracting(media -> media.url().toString())
                .allSatisfy(url -> assertThat(url).contains("/media/med_").contains("signature="))
                .anySatisfy(url -> assertThat(url).contains(a.id()))
                .anySatisfy(url -> assertThat(url).contains(b.id()));
        Message sent = core.messages().get(m.id()).orElseThrow();
        assertThat(sent.provider()).isEqualTo("twilio");
        assertThat(sent.cost()).isEqualByComparingTo(new BigDecimal("0.0200"));
        assertThat(sent.media()).hasSize(2);
    }

    @Test
    void aTextIsHandedOverWithoutMedia() {
        Message m = core.messages().submit(new OneOffMessage("+14155550171", null, "Just text", "transactional", null, null), "test");
        SenderTest.ScriptedProvider twilio = new SenderTest.ScriptedProvider("twilio");
        core.sender(List.of(twilio), Settings.from(Map.of()).sender(), Clock.systemUTC()).send(new SendRequest(m.id()));
        assertThat(twilio.calls.get(0).isMms()).isFalse();
        assertThat(core.messages().get(m.id()).orElseThrow().media()).isEmpty();
    }
}
