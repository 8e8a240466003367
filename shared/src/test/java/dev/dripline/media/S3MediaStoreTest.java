package dev.dripline.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 store against an S3-compatible stand-in (path-style, as DRIPLINE_S3_ENDPOINT sets it):
 * PutObject with the type, HeadObject for what is stored, GetObject for the bytes, and a
 * presigned GET URL that fetches them without credentials, carrying its expiry.
 */
class S3MediaStoreTest {

    record Stored(String type, Map<String, String> metadata, byte[] bytes) {
    }

    private final Map<String, Stored> objects = new ConcurrentHashMap<>();
    private final List<String> seenQueries = new java.util.concurrent.CopyOnWriteArrayList<>();
    private HttpServer server;
    private S3MediaStore store;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String key = exchange.getRequestURI().getPath();
            seenQueries.add(exchange.getRequestMethod() + " " + key + " " + exchange.getRequestURI().getRawQuery());
            switch (exchange.getRequestMethod()) {
                case "PUT" -> {
                    Map<String, String> meta = new java.util.HashMap<>();
                    exchange.getRequestHeaders().forEach((k, v) -> {
                        if (k.toLowerCase().startsWith("x-amz-meta-")) {
                            meta.put(k.toLowerCase().substring("x-amz-meta-".length()), v.get(0));
                        }
                    });
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String sha = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
                    objects.put(key, new Stored(exchange.getRequestHeaders().getFirst("Content-Type"), meta,
                            sha != null && sha.startsWith("STREAMING-") ? unchunk(body) : body));
                    exchange.sendResponseHeaders(200, -1);
                }
                case "HEAD", "GET" -> {
                    Stored o = objects.get(key);
                    if (o == null) {
                        exchange.getResponseHeaders().set("Content-Type", "application/xml");
                        byte[] error = "<Error><Code>NoSuchKey</Code><Message>no</Message></Error>".getBytes();
                        exchange.sendResponseHeaders(404, exchange.getRequestMethod().equals("HEAD") ? -1 : error.length);
                        if (!exchange.getRequestMethod().equals("HEAD")) {
                            exchange.getResponseBody().write(error);
                        }
                    } else {
                        exchange.getResponseHeaders().set("Content-Type", o.type());
                        exchange.getResponseHeaders().set("Last-Modified", "Thu, 03 Dec 2026 10:00:00 GMT");
                        o.metadata().forEach((k, v) -> exchange.getResponseHeaders().set("x-amz-meta-" + k, v));
                        if (exchange.getRequestMethod().equals("HEAD")) {
                            exchange.getResponseHeaders().set("Content-Length", Integer.toString(o.bytes().length));
                            exchange.sendResponseHeaders(200, -1);
                        } else {
                            exchange.sendResponseHeaders(200, o.bytes().length);
                            exchange.getResponseBody().write(o.bytes());
                        }
                    }
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
            exchange.close();
        });
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "example"));
        S3Client s3 = S3Client.builder().region(Region.EU_WEST_1).credentialsProvider(credentials).endpointOverride(endpoint)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                // The stand-in reads plain bodies, not aws-chunked ones with trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build();
        S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1).credentialsProvider(credentials).endpointOverride(endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
        store = new S3MediaStore(s3, presigner, "dripline-media", Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC));
    }

    /** An aws-chunked body ({@code <hex size>;chunk-signature=...\r\n<bytes>\r\n} ... a 0-size chunk) as its bytes. */
    static byte[] unchunk(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int lineEnd = at;
            while (body[lineEnd] != '\r') {
                lineEnd++;
            }
            String header = new String(body, at, lineEnd - at, java.nio.charset.StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";", 2)[0], 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void storesDescribesAndServesMediaThroughAPresignedUrl() throws Exception {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3};
        StoredMedia stored = store.put("image/jpeg", jpeg);

        assertThat(objects).containsKey("/dripline-media/media/" + stored.id());
        assertThat(objects.get("/dripline-media/media/" + stored.id()).type()).isEqualTo("image/jpeg");
        assertThat(store.find(stored.id())).hasValue(stored);
        assertThat(store.bytes(stored.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(jpeg));
        assertThat(store.s3Uri(stored.id())).hasValue("s3://dripline-media/media/" + stored.id());

        URI url = store.fetchUrl(stored.id(), Duration.ofHours(1));
        assertThat(url.getRawQuery()).contains("X-Amz-Expires=3600").contains("X-Amz-Signature=");
        HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.body()).isEqualTo(jpeg);
    }

    @Test
    void unknownOrUnsafeIdsAreNotFound() {
        assertThat(store.find("med_missing")).isEmpty();
        assertThat(store.bytes("med_missing")).isEmpty();
        int before = seenQueries.size();
        assertThat(store.find("../secrets")).isEmpty();
        assertThat(seenQueries).hasSize(before);
    }
}
