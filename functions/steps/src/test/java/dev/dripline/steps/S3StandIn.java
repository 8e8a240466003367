package dev.dripline.steps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small S3-compatible server for tests, path-style ({@code /bucket/key}), answering the two calls
 * the imports function makes as the S3 API reference documents them: ListObjectsV2
 * ({@code GET /bucket?list-type=2}: prefix, max-keys, continuation-token, encoding-type=url;
 * {@code ListBucketResult} in the 2006-03-01 namespace, IsTruncated and NextContinuationToken) and
 * GetObject ({@code GET /bucket/key}, the key percent-decoded from the path). Pages hold at most
 * {@code pageSize} keys, fewer than max-keys, as S3 may. Unknown buckets and keys get S3's XML
 * errors (NoSuchBucket, NoSuchKey). Requests without a SigV4 Authorization header are refused.
 */
final class S3StandIn implements AutoCloseable {

    private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

    /** One request as the server saw it: method, decoded path, decoded query. */
    record Seen(String method, String path, Map<String, String> query) {
    }

    private final HttpServer server;
    private final String bucket;
    private final int pageSize;
    private final TreeMap<String, byte[]> objects = new TreeMap<>(); // S3 lists keys in UTF-8 binary order
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    S3StandIn(String bucket, int pageSize) throws IOException {
        this.bucket = bucket;
        this.pageSize = pageSize;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    S3StandIn put(String key, byte[] body) {
        objects.put(key, body);
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath(); // percent-decoded; '+' stays '+' in a path
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            seen.add(new Seen(exchange.getRequestMethod(), path, query));
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
                error(exchange, 403, "AccessDenied", "no SigV4 signature");
                return;
            }
            String[] parts = path.substring(1).split("/", 2);
            if (!parts[0].equals(bucket)) {
                error(exchange, 404, "NoSuchBucket", "The specified bucket does not exist");
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                error(exchange, 405, "MethodNotAllowed", "only GET here");
            } else if (parts.length == 1 || parts[1].isEmpty()) {
                if (!"2".equals(query.get("list-type"))) {
                    error(exchange, 400, "InvalidArgument", "only ListObjectsV2 here");
                    return;
                }
                list(exchange, query);
            } else {
                get(exchange, parts[1]);
            }
        }
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        String prefix = query.getOrDefault("prefix", "");
        int maxKeys = Integer.parseInt(query.getOrDefault("max-keys", "1000"));
        boolean url = "url".equals(query.get("encoding-type"));
        String token = query.get("continuation-token");
        String after = token == null ? null : new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        List<String> page = new ArrayList<>();
        boolean truncated = false;
        for (String key : (after == null ? objects : objects.tailMap(after, false)).keySet()) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            if (page.size() == Math.min(pageSize, maxKeys)) {
                truncated = true;
                break;
            }
            page.add(key);
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"" + NS + "\">");
        xml.append("<Name>").append(bucket).append("</Name>");
        xml.append("<Prefix>").append(text(prefix, url)).append("</Prefix>");
        xml.append("<KeyCount>").append(page.size()).append("</KeyCount>");
        xml.append("<MaxKeys>").append(maxKeys).append("</MaxKeys>");
        if (url) {
            xml.append("<EncodingType>url</EncodingType>");
        }
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (token != null) {
            xml.append("<ContinuationToken>").append(token).append("</ContinuationToken>");
        }
        if (truncated) {
            String next = Base64.getUrlEncoder().encodeToString(page.get(page.size() - 1).getBytes(StandardCharsets.UTF_8));
            xml.append("<NextContinuationToken>").append(next).append("</NextContinuationToken>");
        }
        for (String key : page) {
            byte[] body = objects.get(key);
            xml.append("<Contents><Key>").append(text(key, url)).append("</Key>")
                    .append("<LastModified>2026-10-01T12:00:00.000Z</LastModified>")
                    .append("<ETag>&quot;").append(md5(body)).append("&quot;</ETag>")
                    .append("<Size>").append(body.length).append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        xml.append("</ListBucketResult>");
        send(exchange, 200, "application/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void get(HttpExchange exchange, String key) throws IOException {
        byte[] body = objects.get(key);
        if (body == null) {
            error(exchange, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        exchange.getResponseHeaders().set("ETag", "\"" + md5(body) + "\"");
        exchange.getResponseHeaders().set("Last-Modified", "Thu, 01 Oct 2026 12:00:00 GMT");
        send(exchange, 200, "binary/octet-stream", body);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        send(exchange, status, "application/xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                + "</Code><Message>" + message + "</Message><RequestId>stand-in</RequestId></Error>").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("x-amz-request-id", "stand-in");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String text(String value, boolean urlEncoded) {
        String v = urlEncoded ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20") : value;
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                out.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
