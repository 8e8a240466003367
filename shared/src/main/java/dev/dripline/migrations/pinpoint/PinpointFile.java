package dev.dripline.migrations.pinpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * One file of a Pinpoint export, recognised by its content, not its name (API.md, "Pinpoint
 * exports"): gzip'd or plain JSON Lines of endpoints (as {@code CreateExportJob} writes them), or
 * the JSON the AWS CLI prints for {@code get-segment}, {@code get-journey} and
 * {@code get-sms-template}, with or without the response wrapper.
 *
 * @param body for endpoints the file's text; for the others the response object, unwrapped
 */
public record PinpointFile(String name, Kind kind, String text, JsonNode body) {

    public enum Kind { ENDPOINTS, SEGMENT, JOURNEY, SMS_TEMPLATE, UNKNOWN }

    public static PinpointFile recognise(String name, byte[] bytes) {
        String text = new String(gunzipped(bytes), StandardCharsets.UTF_8);
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new PinpointFile(name, Kind.UNKNOWN, text, null);
        }
        JsonNode whole = null;
        try {
            whole = Json.mapper().readTree(trimmed);
        } catch (IOException notOneDocument) {
            // JSON Lines of more than one endpoint: read below.
        }
        if (whole != null && whole.isObject()) {
            if (whole.has("SegmentResponse") || whole.has("SegmentType") && whole.has("Id")) {
                return new PinpointFile(name, Kind.SEGMENT, text, whole.has("SegmentResponse") ? whole.get("SegmentResponse") : whole);
            }
            if (whole.has("JourneyResponse") || whole.has("Activities") && whole.has("StartActivity")) {
                return new PinpointFile(name, Kind.JOURNEY, text, whole.has("JourneyResponse") ? whole.get("JourneyResponse") : whole);
            }
            if (whole.has("SMSTemplateResponse") || "SMS".equals(whole.path("TemplateType").asText()) && whole.has("Body")) {
                return new PinpointFile(name, Kind.SMS_TEMPLATE, text,
                        whole.has("SMSTemplateResponse") ? whole.get("SMSTemplateResponse") : whole);
            }
            if (isEndpoint(whole)) {
                return new PinpointFile(name, Kind.ENDPOINTS, text, null);
            }
            return new PinpointFile(name, Kind.UNKNOWN, text, null);
        }
        String first = trimmed.lines().findFirst().orElse("");
        try {
            JsonNode line = Json.mapper().readTree(first);
            if (line != null && isEndpoint(line)) {
                return new PinpointFile(name, Kind.ENDPOINTS, text, null);
            }
        } catch (IOException notJson) {
            // not JSON at all
        }
        return new PinpointFile(name, Kind.UNKNOWN, text, null);
    }

    private static boolean isEndpoint(JsonNode n) {
        return n.isObject() && n.has("ChannelType") && (n.has("Address") || n.has("Id"));
    }

    private static byte[] gunzipped(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gunzip " + e.getMessage(), e);
        }
    }
}
