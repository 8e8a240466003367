package dev.dripline.media;

import dev.dripline.messaging.MessageMedia;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.errors.FieldError;
import dev.dripline.messaging.PriceTable;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Media types known by their first bytes, each provider's limits, and MMS priced apart. */
class MediaRulesTest {

    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10};
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0};
    static final byte[] MP4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'};

    @Test
    void aFileIsTheTypeItsFirstBytesSay() {
        assertThat(MediaTypes.matches("image/jpeg", JPEG)).isTrue();
        assertThat(MediaTypes.matches("image/jpg", JPEG)).as("image/jpg is jpeg").isTrue();
        assertThat(MediaTypes.matches("image/png; charset=binary", PNG)).isTrue();
        assertThat(MediaTypes.matches("video/mp4", MP4)).isTrue();
        assertThat(MediaTypes.matches("image/gif", "GIF89a".getBytes())).isTrue();
        assertThat(MediaTypes.matches("image/png", JPEG)).isFalse();
        assertThat(MediaTypes.matches("image/jpeg", "<html>".getBytes())).isFalse();
        assertThat(MediaTypes.matches("image/jpeg", new byte[] {(byte) 0xFF})).as("too short").isFalse();
        assertThat(MediaTypes.known("application/x-msdownload")).isFalse();
    }

    @Test
    void aUrlsTypeIsGuessedFromItsName() {
        assertThat(MediaTypes.guess("https://cdn.example/a/cat.PNG?v=2")).hasValue("image/png");
        assertThat(MediaTypes.guess("https://cdn.example/clip.mp4#t=1")).hasValue("video/mp4");
        assertThat(MediaTypes.guess("https://cdn.example/photo")).isEmpty();
    }

    @Test
    void eachProviderRefusesWhatBreaksItsLimitsNamingTheEntry() {
        MessageMedia small = new MessageMedia("med_1", null, "image/png", 100_000L, MessageMedia.STORED, null, null, 0);
        MessageMedia big = new MessageMedia("med_2", null, "image/png", 3 * MediaLimits.MB, MessageMedia.STORED, null, null, 0);
        MessageMedia video = new MessageMedia("med_3", null, "video/mp4", 700 * MediaLimits.KB, MessageMedia.STORED, null, null, 0);

        assertThat(MediaLimits.of("twilio").check(List.of(small, big))).isEmpty();
        assertThat(MediaLimits.of("vonage").check(List.of(small, small))).extracting(FieldError::message)
                .containsExactly("has 2 entries; vonage carries at most 1 per message");
        assertThat(MediaLimits.of("aws").check(List.of(big))).extracting(FieldError::field).contains("media[0]", "media");
        assertThat(MediaLimits.of("aws").check(List.of(video))).extracting(FieldError::message)
                .containsExactly("is 716800 bytes; aws carries video/mp4 of at most 614400 bytes");
        assertThat(MediaLimits.of("telnyx").check(List.of(big))).isNotEmpty();
        assertThat(MediaLimits.of("vonage").check(List.of(new MessageMedia("med_4", null, "audio/amr", 10L, MessageMedia.STORED, null, null, 0))))
                .extracting(FieldError::message).first().asString().startsWith("is audio/amr, which vonage does not carry");
        // A URL's size is unknown: only its count and guessed type are checked.
        assertThat(MediaLimits.of("twilio").check(List.of(MessageMedia.atUrl("https://cdn.example/a", null)))).isEmpty();
    }

    @Test
    void theLargestUploadIsTheLargestAnyProviderCarries() {
        long largest = List.of("twilio", "plivo", "telnyx", "vonage", "aws").stream()
                .mapToLong(p -> MediaLimits.of(p).maxTotalBytes()).max().orElseThrow();
        assertThat(MediaLimits.LARGEST).isEqualTo(largest);
    }

    @Test
    void anMmsIsPricedPerMessageOnItsOwn() {
        PriceTable prices = PriceTable.parse("twilio:US=0.0079;twilio:US:mms=0.02;twilio:*:MMS=0.05");
        assertThat(prices.perMms("twilio", "US")).hasValue(new BigDecimal("0.02"));
        assertThat(prices.perMms("twilio", "CA")).hasValue(new BigDecimal("0.05"));
        assertThat(prices.perPart("twilio", "US")).hasValue(new BigDecimal("0.0079"));
        assertThat(PriceTable.parse("twilio:US=0.0079").perMms("twilio", "US")).as("never a text's price").isEmpty();
    }

    @Test
    void theFallbackIsLinkUnlessFailIsAsked() {
        assertThat(MediaAttachments.Fallback.fromWire(null)).isEqualTo(MediaAttachments.Fallback.LINK);
        assertThat(MediaAttachments.Fallback.fromWire("fail")).isEqualTo(MediaAttachments.Fallback.FAIL);
        assertThat(MediaAttachments.Fallback.fromWire("drop")).isNull();
        MediaSettings settings = MediaSettings.defaults();
        assertThat(settings.carriesMms("US", null)).isTrue();
        assertThat(settings.carriesMms("GB", null)).isFalse();
    }
}
