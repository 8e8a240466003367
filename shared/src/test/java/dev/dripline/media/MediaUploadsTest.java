package dev.dripline.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Uploads as generated clients send them: a binary body is {@code application/octet-stream}
 * (openapi-python-client, openapi-generator), so its type is read from the bytes.
 */
class MediaUploadsTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
    private static final byte[] MP4 = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0};
    private static final byte[] THREE_GP = {0, 0, 0, 24, 'f', 't', 'y', 'p', '3', 'g', 'p', '5', 0, 0, 2, 0};

    private final MediaUploads uploads = new MediaUploads(LocalMediaStore.inMemory(URI.create("http://localhost:8080"), new byte[32],
            Clock.systemUTC()), MediaSettings.defaults());

    @Test
    void anOctetStreamIsStoredAsWhatItsBytesAre() {
        assertThat(uploads.upload("application/octet-stream", PNG).contentType()).isEqualTo("image/png");
        assertThat(uploads.upload("application/octet-stream", MP4).contentType()).isEqualTo("video/mp4");
        assertThat(uploads.upload("application/octet-stream", THREE_GP).contentType()).isEqualTo("video/3gpp");
    }

    @Test
    void anOctetStreamOfNoKnownTypeIsRefusedNamingContentType() {
        assertThatThrownBy(() -> uploads.upload("application/octet-stream", "<html>hello</html>".getBytes()))
                .isInstanceOfSatisfying(MediaUploads.Refused.class, r -> {
                    assertThat(r.status()).isEqualTo(415);
                    assertThat(r.field()).isEqualTo("Content-Type");
                    assertThat(r.getMessage()).contains("image/png");
                });
    }

    @Test
    void aDeclaredTypeStillHasToMatchItsBytes() {
        assertThat(uploads.upload("image/png", PNG).contentType()).isEqualTo("image/png");
        assertThatThrownBy(() -> uploads.upload("image/jpeg", PNG)).isInstanceOfSatisfying(MediaUploads.Refused.class,
                r -> assertThat(r.status()).isEqualTo(422));
    }
}
