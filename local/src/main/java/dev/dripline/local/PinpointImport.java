package dev.dripline.local;

import dev.dripline.json.Json;
import dev.dripline.migrations.pinpoint.ExportFolder;
import dev.dripline.migrations.pinpoint.PinpointFile;
import dev.dripline.migrations.pinpoint.PinpointMigration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * {@code pinpoint-import DIR [--dry-run]}: a Pinpoint export folder (endpoint files as
 * CreateExportJob wrote them, gzip'd or not, and the JSON of get-segment, get-journey,
 * get-sms-template) into the local runtime's tables (DRIPLINE_DATA_DIR), with progress; the
 * report is printed as JSON. {@code --dry-run} translates and prints without starting anything.
 * {@code pinpoint-import --bench [N]} generates N endpoints (default 100,000) in gzip'd export
 * files and times their import on an in-memory runtime.
 */
final class PinpointImport {

    private PinpointImport() {
    }

    static void run(String[] args, PrintStream out) throws Exception {
        if (args.length > 1 && args[1].equals("--bench")) {
            bench(args.length > 2 ? Integer.parseInt(args[2]) : 100_000, out);
            return;
        }
        if (args.length < 2 || args[1].startsWith("--")) {
            System.err.println("usage: pinpoint-import DIR [--dry-run]   (or: pinpoint-import --bench [endpoints])");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        boolean dryRun = List.of(args).contains("--dry-run");
        List<PinpointFile> files = ExportFolder.read(dir);
        out.println("pinpoint-import: " + files.size() + " files in " + dir + (dryRun ? " (dry run: nothing is created)" : ""));
        if (dryRun) {
            Map<String, Object> report = new PinpointMigration(null, null, null).run(files, true, "cli", out::println);
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
            return;
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DRIPLINE_PORT", "0");
        try (LocalRuntime runtime = LocalRuntime.start(env)) {
            importAndWait(runtime, files, out, true);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> importAndWait(LocalRuntime runtime, List<PinpointFile> files, PrintStream out, boolean printReport)
            throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> report = PinpointMigration.of(runtime.dripline()).run(files, false, "cli", out::println);
        String importId = (String) ((Map<String, Object>) report.get("endpoints")).get("importId");
        if (importId != null) {
            Map<String, Object> status;
            do {
                Thread.sleep(1000);
                status = runtime.dripline().imports().status(importId);
                double seconds = (System.nanoTime() - t0) / 1e9;
                out.printf("%6.1f s  %-9s contacts %7d / %d  created %7d  updated %6d  rejected %d%n", seconds, status.get("status"),
                        status.get("processed"), status.get("rows"), status.get("created"), status.get("updated"), status.get("rejected"));
            } while (!"completed".equals(status.get("status")));
            report.put("import", status);
        }
        if (printReport) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        }
        return report;
    }

    /** N endpoints (one in ten a second endpoint of the same number, one in twenty opted out, one in fifty an email endpoint) in files of 10,000 lines. */
    private static void bench(int endpoints, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("pinpoint-bench");
        String[] areas = {"212", "305", "312", "415", "503", "617", "646", "702", "713", "808"};
        int perFile = 10_000;
        for (int file = 0; file * perFile < endpoints; file++) {
            StringBuilder lines = new StringBuilder();
            for (int i = file * perFile; i < Math.min(endpoints, (file + 1) * perFile); i++) {
                int n = i % 10 == 9 ? i - 1 : i;
                boolean email = i % 50 == 7;
                lines.append(String.format("{\"ChannelType\":\"%s\",\"Address\":\"%s\",\"EndpointStatus\":\"ACTIVE\",\"OptOut\":\"%s\","
                        + "\"EffectiveDate\":\"2026-03-01T10:00:00.000Z\",\"Location\":{\"Country\":\"US\",\"City\":\"City%d\",\"PostalCode\":\"%05d\"},"
                        + "\"Demographic\":{\"Timezone\":\"America/New_York\"},\"Attributes\":{\"Tier\":[\"%s\"],\"Interests\":[\"a%d\",\"b%d\"]},"
                        + "\"Metrics\":{\"orders\":%d.0},\"User\":{\"UserId\":\"user-%d\",\"UserAttributes\":{\"FirstName\":[\"First%d\"]}},\"Id\":\"ep-%d\"}%n",
                        email ? "EMAIL" : "SMS", email ? "p" + i + "@example.com" : "+1" + areas[(n / 10_000) % 10] + "555" + String.format("%04d", n % 10_000),
                        i % 20 == 3 ? "ALL" : "NONE", i % 100, 10_000 + i % 89_999, i % 2 == 0 ? "gold" : "silver", i % 7, i % 11, i % 50, n, n, i));
            }
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
                z.write(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Files.write(dir.resolve(String.format("part-%05d.gz", file)), gz.toByteArray());
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DRIPLINE_PORT", "0");
        env.remove("DRIPLINE_DATA_DIR");
        try (LocalRuntime runtime = LocalRuntime.start(env)) {
            long t0 = System.nanoTime();
            List<PinpointFile> files = ExportFolder.read(dir);
            Map<String, Object> report = importAndWait(runtime, files, out, false);
            double seconds = (System.nanoTime() - t0) / 1e9;
            @SuppressWarnings("unchecked") Map<String, Object> ep = (Map<String, Object>) report.get("endpoints");
            out.printf("%nimported %d endpoints (%s contacts, %s merged, %s opted out, %s refused) from %d gzip'd files in %.1f s: "
                    + "%.0f endpoints/s%n", endpoints, ep.get("contacts"), ep.get("merged"), ep.get("optedOut"), ep.get("refused"),
                    files.size(), seconds, endpoints / seconds);
        } finally {
            try (var walk = Files.list(dir)) {
                for (Path p : walk.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
