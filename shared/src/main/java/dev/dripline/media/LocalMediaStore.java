package dev.dripline.media;

import dev.dripline.ids.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Media for the local runtime and tests: in a directory (DRIPLINE_DATA_DIR/media, kept across a
 * restart) or in memory. Fetch URLs point at {@code {publicUrl}/media/{id}} with an expiry and an
 * HMAC over both, checked by {@link #verifies}, the local counterpart of an S3 presigned URL.
 */
public final class LocalMediaStore implements MediaStore {

    private final Optional<Path> directory;
    private final Map<String, StoredMedia> described = new ConcurrentHashMap<>();
    private final Map<String, byte[]> memory = new ConcurrentHashMap<>();
    private final URI publicUrl;
    private final byte[] signingKey;
    private final Clock clock;

    private LocalMediaStore(Optional<Path> directory, URI publicUrl, byte[] signingKey, Clock clock) {
        this.directory = directory;
        this.publicUrl = publicUrl;
        this.signingKey = signingKey.clone();
        this.clock = clock;
    }

    public static LocalMediaStore inMemory(URI publicUrl, byte[] signingKey, Clock clock) {
        return new LocalMediaStore(Optional.empty(), publicUrl, signingKey, clock);
    }

    public static LocalMediaStore inDirectory(Path directory, URI publicUrl, byte[] signingKey, Clock clock) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the media directory " + directory + ": " + e.getMessage(), e);
        }
        return new LocalMediaStore(Optional.of(directory), publicUrl, signingKey, clock);
    }

    @Override
    public StoredMedia put(String contentType, byte[] bytes) {
        StoredMedia stored = new StoredMedia(Ids.next("med", clock), contentType, bytes.length, clock.instant());
        if (directory.isPresent()) {
            try {
                Files.write(directory.get().resolve(stored.id()), bytes);
                Files.writeString(directory.get().resolve(stored.id() + ".type"), contentType + "\n" + stored.storedAt());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store media " + stored.id() + ": " + e.getMessage(), e);
            }
        } else {
            memory.put(stored.id(), bytes.clone());
        }
        described.put(stored.id(), stored);
        return stored;
    }

    @Override
    public Optional<StoredMedia> find(String id) {
        if (!safe(id)) {
            return Optional.empty();
        }
        StoredMedia known = described.get(id);
        if (known != null || directory.isEmpty()) {
            return Optional.ofNullable(known);
        }
        Path data = directory.get().resolve(id);
        Path type = directory.get().resolve(id + ".type");
        if (!Files.isRegularFile(data) || !Files.isRegularFile(type)) {
            return Optional.empty();
        }
        try {
            String[] lines = Files.readString(type).split("\n", 2);
            StoredMedia read = new StoredMedia(id, lines[0], Files.size(data), Instant.parse(lines[1].strip()));
            described.put(id, read);
            return Optional.of(read);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read media " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> bytes(String id) {
        if (find(id).isEmpty()) {
            return Optional.empty();
        }
        if (directory.isEmpty()) {
            return Optional.ofNullable(memory.get(id)).map(byte[]::clone);
        }
        try {
            return Optional.of(Files.readAllBytes(directory.get().resolve(id)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read media " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public URI fetchUrl(String id, Duration ttl) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String base = publicUrl.toString().replaceAll("/+$", "");
        return URI.create(base + "/media/" + id + "?expires=" + expires + "&signature=" + signature(id, expires));
    }

    /** Whether a fetch URL's expiry and signature are this store's and the expiry has not passed. */
    public boolean verifies(String id, long expires, String signature) {
        if (signature == null || clock.instant().getEpochSecond() > expires) {
            return false;
        }
        return MessageDigest.isEqual(signature(id, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(String id, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((id + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ids are this store's own ({@code med_...}); anything else (a path) is never looked up. */
    private static boolean safe(String id) {
        return id != null && id.matches("[A-Za-z0-9_-]{1,64}");
    }
}
