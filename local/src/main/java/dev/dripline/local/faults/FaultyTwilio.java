package dev.dripline.local.faults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dripline.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Twilio's Messages resource on 127.0.0.1, with faults: a plain socket server (not an HTTP
 * library) so that it can refuse connections, reset them and go quiet, as a provider in trouble
 * does. It keeps every message it created, keyed by the Dripline message id that rides in the
 * StatusCallback URL ({@code ?m=}), so a run can count what the carrier would have received.
 *
 * <p>Healthy it answers {@code POST .../Messages.json} with 201 and a new sid, and
 * {@code GET .../Messages.json?To=&From=} with the account's messages to that pair, newest first.
 * A fault answers both (the lookup is down with the send).
 */
public final class FaultyTwilio implements AutoCloseable {

    /** How the provider behaves. */
    public enum Mode {
        HEALTHY,
        /** 500 on every request; every other send was created before the error (Twilio's 500 may come after creating). */
        ERROR_500,
        /** 429 with Retry-After on every request; nothing created. */
        THROTTLED_429,
        /** Nothing listens: connections are refused. */
        REFUSING,
        /** The request is read, then the connection is reset; every other send was created first. */
        RESET,
        /** The request is read and never answered (the client's timeout ends it); every other send was created. */
        STALLED
    }

    /** One message the provider created: what the carrier would have been handed. */
    public record Created(String sid, String messageId, String to, String from, String body, Instant at) {
    }

    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final int port;
    private final int retryAfterSeconds;
    private volatile Mode mode = Mode.HEALTHY;
    private volatile ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Created> created = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger faulted = new AtomicInteger();
    private final AtomicInteger sids = new AtomicInteger();

    public FaultyTwilio(int retryAfterSeconds) throws IOException {
        this.retryAfterSeconds = retryAfterSeconds;
        ServerSocket first = new ServerSocket();
        first.setReuseAddress(true);
        first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = first.getLocalPort();
        listen(first);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Mode mode() {
        return mode;
    }

    /** Switches behaviour; refusing closes the listening socket, anything else opens it again on the same port. */
    public synchronized void mode(Mode next) throws IOException {
        if (next == Mode.REFUSING && server != null) {
            server.close();
            server = null;
        } else if (next != Mode.REFUSING && server == null) {
            ServerSocket again = new ServerSocket();
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listen(again);
        }
        if (next == Mode.HEALTHY) {
            // Whoever is still waiting on a stalled answer gets nothing more; the client timed out long ago.
            open.forEach(FaultyTwilio::closeQuietly);
        }
        mode = next;
    }

    public List<Created> created() {
        return List.copyOf(created);
    }

    public int requests() {
        return requests.get();
    }

    private void listen(ServerSocket socket) {
        server = socket;
        Thread t = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    open.add(s);
                    Thread worker = new Thread(() -> serve(s), "faulty-twilio-conn");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "faulty-twilio-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Request request = read(in);
            if (request == null) {
                return;
            }
            requests.incrementAndGet();
            Mode now = mode;
            boolean send = request.method.equals("POST");
            // Every other faulted send is created before the fault: what the provider did is not what it said.
            boolean createFirst = send && now != Mode.HEALTHY && now != Mode.THROTTLED_429 && faulted.incrementAndGet() % 2 == 0;
            Created made = send && (now == Mode.HEALTHY || createFirst) ? create(request) : null;
            switch (now) {
                case HEALTHY, REFUSING -> respond(socket, send ? 201 : 200, Map.of(),
                        send ? resource(made).toString() : list(request).toString());
                case ERROR_500 -> respond(socket, 500, Map.of(), "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":500}");
                case THROTTLED_429 -> respond(socket, 429, Map.of("Retry-After", Integer.toString(retryAfterSeconds)),
                        "{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}");
                case RESET -> {
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
                case STALLED -> {
                    while (mode == Mode.STALLED && !socket.isClosed()) {
                        Thread.sleep(50);
                    }
                }
            }
        } catch (IOException | InterruptedException ignored) {
            // The client went away or the connection was reset on purpose.
        } finally {
            open.remove(socket);
        }
    }

    private Created create(Request request) {
        Map<String, String> form = form(request.body);
        String callback = form.getOrDefault("StatusCallback", "");
        String messageId = query(URI.create(callback).getRawQuery()).get("m");
        Created c = new Created(String.format(Locale.ROOT, "SM%032d", sids.incrementAndGet()), messageId, form.get("To"),
                form.get("From"), form.get("Body"), Instant.now());
        created.add(c);
        return c;
    }

    private static ObjectNode resource(Created c) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("sid", c.sid()).put("to", c.to()).put("from", c.from()).put("body", c.body()).put("status", "queued")
                .put("num_segments", "1").putNull("price").put("date_created", RFC_2822.format(c.at())).putNull("date_sent");
        return node;
    }

    private ObjectNode list(Request request) {
        Map<String, String> q = query(request.query);
        List<Created> matching = new ArrayList<>();
        for (Created c : created) {
            if (c.to().equals(q.get("To")) && (q.get("From") == null || q.get("From").equals(c.from()))) {
                matching.add(0, c);
            }
        }
        ObjectNode page = Json.mapper().createObjectNode();
        ArrayNode items = page.putArray("messages");
        matching.forEach(c -> items.add(resource(c)));
        page.putNull("next_page_uri");
        return page;
    }

    private static void respond(Socket socket, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(status < 300 ? "OK" : "Error").append("\r\n")
                .append("Content-Type: application/json\r\nConnection: close\r\nContent-Length: ").append(bytes.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private record Request(String method, String path, String query, String body) {
    }

    /** One HTTP/1.1 request: the request line, headers up to the blank line, a Content-Length body. */
    private static Request read(InputStream in) throws IOException {
        String line = line(in);
        if (line == null || line.isBlank()) {
            return null;
        }
        String[] parts = line.split(" ");
        int length = 0;
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        URI target = URI.create(parts[1]);
        return new Request(parts[0], target.getRawPath(), target.getRawQuery(), new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String s = out.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            out.write(b);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.US_ASCII);
    }

    private static Map<String, String> form(String body) {
        return query(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return fields;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() {
        mode = Mode.HEALTHY;
        if (server != null) {
            closeQuietly(server);
        }
        open.forEach(FaultyTwilio::closeQuietly);
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
