package dev.dripline.local;

import dev.dripline.ids.Ids;
import dev.dripline.json.Json;
import dev.dripline.logging.Masked;
import dev.dripline.webhooks.SimulatorSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A carrier with virtual handsets. It takes messages through a provider-like API, puts them
 * on the recipient's handset, and reports delivery to the status callback the way a real
 * provider does: a signed webhook, after a latency, sometimes failed, optionally out of
 * order. A handset's reply goes to Dripline through the same signed inbound webhook path.
 */
public final class SimulatedCarrier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedCarrier.class);
    private static final int WEBHOOK_ATTEMPTS = 5;

    /**
     * How the carrier behaves.
     *
     * @param latency     time from accepting a message to its {@code sent} receipt; the final
     *                    receipt follows after the same again
     * @param failureRate share of messages that end {@code undelivered} (0 to 1)
     * @param outOfOrder  send the final receipt before {@code sent}, as real carriers sometimes do
     * @param defaultFrom the sender number used when a message names none
     */
    public record Behaviour(Duration latency, double failureRate, boolean outOfOrder, String defaultFrom) {
        public Behaviour {
            if (failureRate < 0 || failureRate > 1) {
                throw new IllegalArgumentException("failure rate must be between 0 and 1, not " + failureRate);
            }
        }
    }

    /** One message on a handset, from Dripline's side: outbound reached the phone, inbound left it. */
    public record HandsetMessage(String id, String direction, String from, String to, String body, Instant at, String status,
                                 @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                                 List<ReceivedMedia> media) {

        public HandsetMessage(String id, String direction, String from, String to, String body, Instant at, String status) {
            this(id, direction, from, to, body, at, status, List.of());
        }

        HandsetMessage withStatus(String newStatus) {
            return new HandsetMessage(id, direction, from, to, body, at, newStatus, media);
        }
    }

    /** Media an MMS brought to the handset: where the carrier fetched it, its type and size as fetched. */
    public record ReceivedMedia(String url, String contentType, long size) {
    }

    /** A media URL the carrier could not fetch (as a provider refuses an MMS whose media it cannot get). */
    public static final class MediaUnreachable extends RuntimeException {
        MediaUnreachable(String message) {
            super(message);
        }
    }

    /** Fetches each media URL as a provider does before it sends an MMS: type and size from what came back. */
    List<ReceivedMedia> fetchMedia(List<String> urls) {
        List<ReceivedMedia> fetched = new ArrayList<>();
        for (String url : urls == null ? List.<String>of() : urls) {
            try {
                HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (got.statusCode() != 200) {
                    throw new MediaUnreachable("media " + url.replaceAll("\\?.*", "") + " answered " + got.statusCode());
                }
                fetched.add(new ReceivedMedia(url, got.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                        got.body().length));
            } catch (IOException | IllegalArgumentException e) {
                throw new MediaUnreachable("media " + url.replaceAll("\\?.*", "") + " could not be fetched: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MediaUnreachable("interrupted while fetching media");
            }
        }
        return fetched;
    }

    /** A picture (or clip) a handset sends: its type and bytes, served to Dripline at {@link #mediaUrl}. */
    public record Picture(String contentType, byte[] bytes) {
    }

    /** The handset's built-in sample picture: a 24x24 PNG sunset (197 bytes). */
    public static final Picture SAMPLE = new Picture("image/png", java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAjElEQVR42u3MIQ4CARBD0Z4EzXGqOQkCgViBQCAQCMQKBGIFAsERuFURq9h0RtWQ"
            + "kDz586EtI6AdI6A9I6CBEdCBEdCREdCJnff6S11CZ5YWl1kRQxd69jJzPXSl14xcD430mpHroRu9ZuR66E6vGbkemliylyKGHuwsLnUJPRkBvRiB1WaM"
            + "+I9+cfQBoV/AFtTJbMUAAAAASUVORK5CYII="));

    /** The answer to a reply: the id the carrier gave it and the HTTP status Dripline's webhook answered. */
    public record ReplyResult(String id, int webhookStatus) {
    }

    private final Behaviour behaviour;
    private final MovableClock clock;
    private final String secret;
    private final URI inboundWebhook;
    private final URI statusWebhook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, List<HandsetMessage>> handsets = new ConcurrentHashMap<>();
    private final Map<String, String> lastSenderTo = new ConcurrentHashMap<>();
    /** Pictures handsets sent, by the carrier's media id, until the runtime stops (as a provider's media host keeps them). */
    private final Map<String, Picture> pictures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService receipts;
    private volatile Listener listener = Listener.NONE;
    /** With a data directory: every message taken and every final receipt acknowledged, a JSON line each. */
    private java.io.Writer journal;
    private final java.util.Set<String> taken = ConcurrentHashMap.newKeySet();
    private final List<Map<String, Object>> unreported = new ArrayList<>();
    private final URI publicUrl;

    /** What a benchmark watches: messages taken and receipts Dripline acknowledged. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void accepted(String messageId) {
        }

        /** A receipt Dripline's webhook answered 2xx. */
        default void receipt(String messageId, String status) {
        }
    }

    public SimulatedCarrier(Behaviour behaviour, MovableClock clock, String secret, URI publicUrl) {
        this(behaviour, clock, secret, publicUrl, 2);
    }

    /** @param receiptThreads how many receipts are posted at once (DRIPLINE_SIMULATOR_RECEIPT_THREADS) */
    public SimulatedCarrier(Behaviour behaviour, MovableClock clock, String secret, URI publicUrl, int receiptThreads) {
        this.receipts = Executors.newScheduledThreadPool(receiptThreads, r -> {
            Thread t = new Thread(r, "carrier-receipts");
            t.setDaemon(true);
            return t;
        });
        this.behaviour = behaviour;
        this.clock = clock;
        this.secret = secret;
        this.inboundWebhook = URI.create(publicUrl + "/webhooks/simulator/inbound");
        this.statusWebhook = URI.create(publicUrl + "/webhooks/simulator/status");
        this.publicUrl = publicUrl;
    }

    /**
     * Keeps the carrier's state in {@code file} across restarts of the runtime, as a real
     * provider keeps its own: what it was given is read back onto the handsets, and every
     * message whose final receipt Dripline had not acknowledged is reported again (a status only
     * moves forward, so a repeated {@code sent} is harmless) by {@link #reportOwed}. Returns how many
     * are owed.
     */
    public synchronized int keepJournal(java.nio.file.Path file) {
        Map<String, Map<String, Object>> open = new LinkedHashMap<>();
        try {
            if (java.nio.file.Files.exists(file)) {
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Map<String, Object> entry;
                    try {
                        entry = Json.read(line, Map.class);
                    } catch (RuntimeException torn) {
                        continue; // the last line of a killed process may be cut short
                    }
                    String id = (String) entry.get("id");
                    if ("taken".equals(entry.get("e"))) {
                        String to = (String) entry.get("to");
                        handsets.computeIfAbsent(to, k -> new ArrayList<>()).add(new HandsetMessage(id, "outbound", (String) entry.get("from"),
                                to, (String) entry.get("body"), Instant.parse((String) entry.get("at")), "sent"));
                        lastSenderTo.put(to, (String) entry.get("from"));
                        taken.add((String) entry.get("messageId"));
                        open.put(id, entry);
                    } else if ("reported".equals(entry.get("e")) && open.containsKey(id)) {
                        Map<String, Object> done = open.remove(id);
                        setStatus((String) done.get("to"), id, (String) entry.get("status"));
                    }
                }
            }
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            journal = java.nio.file.Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the simulated carrier's journal in " + file, e);
        }
        unreported.addAll(open.values());
        return open.size();
    }

    /** Sends the receipts {@link #keepJournal} found owed (once Dripline is ready to count them). */
    public synchronized void reportOwed() {
        for (Map<String, Object> entry : unreported) {
            URI callback = publicUrl.resolve((String) entry.get("callback"));
            schedule((String) entry.get("to"), (String) entry.get("id"), (String) entry.get("messageId"), callback,
                    (String) entry.get("final"), (String) entry.get("errorCode"), Instant.parse((String) entry.get("at")));
        }
        unreported.clear();
    }

    /** Whether the carrier was ever given this Dripline message (with a journal, across restarts too). */
    public boolean took(String messageId) {
        return taken.contains(messageId);
    }

    private synchronized void write(Map<String, Object> entry) {
        if (journal == null) {
            return;
        }
        try {
            journal.write(Json.write(entry));
            journal.write('\n');
            // Into the operating system's hands at once: a killed JVM loses nothing it was told.
            journal.flush();
        } catch (IOException e) {
            LOG.warn("carrier journal not written: {}", e.toString());
        }
    }

    /**
     * Whether {@code callback} is this runtime's own simulator status webhook (any query): the
     * only place the carrier posts receipts, so that its signed requests cannot be aimed elsewhere.
     */
    public boolean ownStatusWebhook(URI callback) {
        return callback.isAbsolute() && callback.getRawUserInfo() == null && callback.getRawFragment() == null
                && statusWebhook.getScheme().equalsIgnoreCase(callback.getScheme())
                && statusWebhook.getHost() != null && statusWebhook.getHost().equalsIgnoreCase(callback.getHost())
                && port(statusWebhook) == port(callback)
                && statusWebhook.getRawPath().equals(callback.getRawPath());
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** Where receipts go: {@code <public URL>/webhooks/simulator/status}. */
    public URI statusWebhook() {
        return statusWebhook;
    }

    /** The provider API: takes a message, returns the carrier's id for it. */
    public String accept(String from, String to, String body, String messageId, URI statusCallback) {
        return accept(from, to, body, messageId, statusCallback, List.of());
    }

    /** As {@link #accept(String, String, String, String, URI)}, an MMS: the media fetched and put on the handset with the text. */
    public String accept(String from, String to, String body, String messageId, URI statusCallback, List<ReceivedMedia> media) {
        String sender = from == null || from.isBlank() ? behaviour.defaultFrom() : from;
        String id = Ids.next("sim", clock);
        Instant acceptedAt = clock.instant();
        HandsetMessage message = new HandsetMessage(id, "outbound", sender, to, body, acceptedAt, "sent", media);
        handsets.computeIfAbsent(to, k -> new ArrayList<>());
        List<HandsetMessage> inbox = handsets.get(to);
        synchronized (inbox) {
            inbox.add(message);
        }
        lastSenderTo.put(to, sender);
        listener.accepted(messageId);
        boolean fails = ThreadLocalRandom.current().nextDouble() < behaviour.failureRate();
        String finalStatus = fails ? "undelivered" : "delivered";
        String errorCode = fails ? "30003" : null;
        taken.add(messageId);
        if (journal != null) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("e", "taken");
            entry.put("id", id);
            entry.put("messageId", messageId);
            entry.put("from", sender);
            entry.put("to", to);
            entry.put("body", body);
            entry.put("at", message.at().toString());
            entry.put("final", finalStatus);
            entry.put("errorCode", errorCode);
            entry.put("callback", statusCallback.getRawPath() + (statusCallback.getRawQuery() == null ? "" : "?" + statusCallback.getRawQuery()));
            write(entry);
        }
        schedule(to, id, messageId, statusCallback, finalStatus, errorCode, acceptedAt);
        return id;
    }

    private void schedule(String to, String id, String messageId, URI statusCallback, String finalStatus, String errorCode,
                          Instant acceptedAt) {
        long latency = behaviour.latency().toMillis();
        long sentAfter = behaviour.outOfOrder() ? 2 * latency : latency;
        long finalAfter = behaviour.outOfOrder() ? latency : 2 * latency;
        // Each receipt reports the carrier's own time of the event (the simulated clock at acceptance plus
        // the latency), as real carriers do, not the moment the webhook happens to be posted: the clock may
        // have moved on by then (an advance of several days passes in real milliseconds).
        Instant sentAt = acceptedAt.plusMillis(sentAfter);
        Instant finalAt = acceptedAt.plusMillis(finalAfter);
        receipts.schedule(() -> report(statusCallback, id, messageId, "sent", null, sentAt, 1), sentAfter, TimeUnit.MILLISECONDS);
        receipts.schedule(() -> {
            setStatus(to, id, finalStatus);
            report(statusCallback, id, messageId, finalStatus, errorCode, finalAt, 1);
        }, finalAfter, TimeUnit.MILLISECONDS);
    }

    public void listener(Listener listener) {
        this.listener = listener == null ? Listener.NONE : listener;
    }

    /** What a handset holds, oldest first. */
    public List<HandsetMessage> messages(String phone) {
        List<HandsetMessage> inbox = handsets.get(phone);
        if (inbox == null) {
            return List.of();
        }
        synchronized (inbox) {
            return List.copyOf(inbox);
        }
    }

    /** The handset texts back: to the number that last texted it, through the signed webhook. */
    public ReplyResult reply(String phone, String body) {
        return reply(phone, body, List.of());
    }

    /**
     * The handset sends an MMS: its pictures are kept on the carrier's media host and the inbound
     * webhook names their URLs ({@code media: [{url, contentType}]}), as a provider's does; Dripline
     * fetches them with the simulator's signature.
     */
    public ReplyResult reply(String phone, String body, List<Picture> media) {
        String to = lastSenderTo.getOrDefault(phone, behaviour.defaultFrom());
        String id = Ids.next("sim", clock);
        Instant at = clock.instant();
        HandsetMessage message = new HandsetMessage(id, "inbound", phone, to, body, at, "sent");
        handsets.computeIfAbsent(phone, k -> new ArrayList<>());
        List<HandsetMessage> inbox = handsets.get(phone);
        synchronized (inbox) {
            inbox.add(message);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("from", phone);
        payload.put("to", to);
        payload.put("body", body);
        payload.put("at", at.toString());
        if (!media.isEmpty()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (Picture picture : media) {
                String mediaId = Ids.next("simmed", clock);
                pictures.put(mediaId, picture);
                items.add(Map.of("url", mediaUrl(mediaId).toString(), "contentType", picture.contentType()));
            }
            payload.put("media", items);
        }
        int status = post(inboundWebhook, Json.write(payload));
        setStatus(phone, id, status / 100 == 2 ? "delivered" : "failed");
        return new ReplyResult(id, status);
    }

    /** Where the carrier serves a picture a handset sent: {@code <public URL>/local/carrier/media/{id}}. */
    public URI mediaUrl(String mediaId) {
        return URI.create(publicUrl + "/local/carrier/media/" + mediaId);
    }

    /**
     * A picture a handset sent, to a request signed with the simulator's secret over its URL (as
     * a provider's media host wants its credentials); empty when unknown or unsigned.
     */
    public java.util.Optional<Picture> picture(String mediaId, String signature) {
        Picture picture = pictures.get(mediaId);
        if (picture == null || !SimulatorSignature.verify(secret, signature, mediaUrl(mediaId).toString(), "", clock.instant())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(picture);
    }

    private void report(URI callback, String id, String messageId, String status, String errorCode, Instant at, int attempt) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("messageId", messageId);
        payload.put("status", status);
        if (errorCode != null) {
            payload.put("errorCode", errorCode);
        }
        payload.put("at", at.toString());
        int answer = post(callback, Json.write(payload));
        if (answer / 100 == 2) {
            listener.receipt(messageId, status);
            if (!status.equals("sent")) {
                write(new LinkedHashMap<>(Map.of("e", "reported", "id", id, "status", status)));
            }
        }
        if (answer / 100 != 2 && answer != 400 && answer != 422 && attempt < WEBHOOK_ATTEMPTS) {
            long backoff = 500L << (attempt - 1);
            receipts.schedule(() -> report(callback, id, messageId, status, errorCode, at, attempt + 1), backoff, TimeUnit.MILLISECONDS);
        }
    }

    /** Posts a signed webhook; the HTTP status, or 0 when Dripline could not be reached. */
    private int post(URI url, String body) {
        String signature = SimulatorSignature.sign(secret, clock.instant(), url.toString(), body);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(SimulatorSignature.HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            LOG.warn("carrier webhook {} failed: {}", url.getPath(), e.toString());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private void setStatus(String phone, String id, String status) {
        List<HandsetMessage> inbox = handsets.get(phone);
        if (inbox == null) {
            return;
        }
        synchronized (inbox) {
            for (int i = 0; i < inbox.size(); i++) {
                if (inbox.get(i).id().equals(id)) {
                    inbox.set(i, inbox.get(i).withStatus(status));
                    LOG.debug("handset {} message {} {}", Masked.phone(phone), id, status);
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        receipts.shutdownNow();
        synchronized (this) {
            if (journal != null) {
                try {
                    journal.close();
                } catch (IOException e) {
                    LOG.warn("carrier journal not closed: {}", e.toString());
                }
            }
        }
    }
}
