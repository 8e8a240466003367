package dev.dripline.media;

import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageMedia;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Messages as the API shows them: each stored media entry with a fresh short-lived fetch URL
 * (made when read, never stored, so that a link in an old answer expires).
 */
public final class MediaLinks {

    /** How long a media URL in an API answer works. */
    public static final Duration TTL = Duration.ofHours(1);

    private final Supplier<MediaStore> store;

    public MediaLinks(Supplier<MediaStore> store) {
        this.store = store;
    }

    public Message shown(Message m) {
        if (m.media().isEmpty()) {
            return m;
        }
        return m.withMedia(m.media().stream()
                .map(media -> media.id() == null ? media : media.withUrl(store.get().fetchUrl(media.id(), TTL).toString())).toList());
    }

    public List<Message> shown(List<Message> messages) {
        return messages.stream().map(this::shown).toList();
    }

    /** A stored media entry's URL (for a caller that shows one entry). */
    public String url(MessageMedia media) {
        return media.id() == null ? null : store.get().fetchUrl(media.id(), TTL).toString();
    }
}
