package dev.dripline.migrations.pinpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.audience.Audience;
import dev.dripline.drip.Campaign;
import dev.dripline.drip.CampaignDefinition;
import dev.dripline.drip.Campaigns;
import dev.dripline.errors.InvalidInput;
import dev.dripline.imports.ImportChunk;
import dev.dripline.imports.Imports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A move from Pinpoint: the files of an export (recognised by content, {@link PinpointFile}) as
 * contacts (through the import machinery: {@link Imports#queue}, so the same chunks, counts and
 * per-row errors as a CSV import), segments and campaigns (created as drafts, to be reviewed and
 * activated). A dry run translates everything and creates nothing. Importing the same files again
 * changes no contact (an upsert of the same values; consent entries are written only on change),
 * so an interrupted import is resumed by running it again.
 */
public final class PinpointMigration {

    /** Reports of more than this many refused endpoints list only the first ones (the counts by reason are complete). */
    static final int LISTED_REFUSALS = 100;

    private final Imports imports;
    private final Audience audience;
    private final Campaigns campaigns;

    public PinpointMigration(Imports imports, Audience audience, Campaigns campaigns) {
        this.imports = imports;
        this.audience = audience;
        this.campaigns = campaigns;
    }

    public static PinpointMigration of(dev.dripline.Dripline core) {
        return new PinpointMigration(core.imports(), core.audience(), core.campaigns());
    }

    /** Translates (and, unless {@code dryRun}, creates) what the files hold; answers the report. */
    public Map<String, Object> run(List<PinpointFile> files, boolean dryRun, String actor, Consumer<String> progress) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dryRun", dryRun);
        List<Map<String, Object>> listed = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Map<String, JsonNode> templates = new LinkedHashMap<>();
        Endpoints endpoints = new Endpoints();
        for (PinpointFile f : files) {
            listed.add(Map.of("name", f.name(), "kind", f.kind().name().toLowerCase(java.util.Locale.ROOT)));
            switch (f.kind()) {
                case SMS_TEMPLATE -> templates.put(f.body().path("TemplateName").asText(f.name()), f.body());
                case ENDPOINTS -> {
                    endpoints.read(f);
                    progress.accept("read " + f.name() + ": " + endpoints.read() + " endpoints so far");
                }
                case UNKNOWN -> unknown.add(f.name());
                default -> {
                }
            }
        }
        report.put("files", listed);
        report.put("unknownFiles", unknown);

        Map<String, Object> ep = new LinkedHashMap<>();
        ep.put("read", endpoints.read());
        ep.put("sms", endpoints.smsEndpoints());
        ep.put("contacts", endpoints.numbers());
        ep.put("merged", endpoints.merged());
        ep.put("optedOut", endpoints.optedOut());
        ep.put("refused", endpoints.refused().size());
        ep.put("refusedByReason", endpoints.refusedByReason());
        ep.put("refusals", endpoints.refused().stream().limit(LISTED_REFUSALS)
                .map(r -> Map.of("file", r.file(), "line", r.line(), "reason", r.reason())).toList());
        if (!dryRun && endpoints.numbers() > 0) {
            String id = imports.newId();
            List<ImportChunk> chunks = endpoints.chunks(id, actor);
            imports.queue(id, chunks, endpoints.numbers(), actor);
            ep.put("importId", id);
            progress.accept("queued " + endpoints.numbers() + " contacts in " + chunks.size() + " chunks as import " + id);
        }
        report.put("endpoints", ep);

        Map<String, String> segmentIds = new LinkedHashMap<>();
        List<Map<String, Object>> segments = new ArrayList<>();
        for (PinpointFile f : files) {
            if (f.kind() != PinpointFile.Kind.SEGMENT) {
                continue;
            }
            SegmentTranslation t = new SegmentTranslation(f.body());
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("file", f.name());
            s.put("pinpointId", t.pinpointId());
            s.put("name", t.name());
            s.put("filter", t.filter().orElse(null));
            s.put("problems", t.problems());
            s.put("notes", t.notes());
            if (t.filter().isPresent() && !dryRun) {
                try {
                    String id = audience.createSegment(t.name(), t.filter().get()).id();
                    s.put("id", id);
                    if (t.pinpointId() != null) {
                        segmentIds.put(t.pinpointId(), id);
                    }
                } catch (InvalidInput e) {
                    s.put("problems", e.errors().stream().map(x -> x.field() + " " + x.message()).toList());
                }
            }
            s.put("status", t.filter().isEmpty() ? "not created: cannot be expressed" : dryRun ? "translated" : s.containsKey("id") ? "created" : "refused");
            segments.add(s);
        }
        report.put("segments", segments);

        List<Map<String, Object>> journeys = new ArrayList<>();
        for (PinpointFile f : files) {
            if (f.kind() != PinpointFile.Kind.JOURNEY) {
                continue;
            }
            JourneyTranslation t = new JourneyTranslation(f.body(), templates, segmentIds);
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("file", f.name());
            j.put("pinpointId", f.body().path("Id").asText(null));
            j.put("name", t.campaign().path("name").asText());
            j.put("campaign", t.campaign());
            j.put("report", t.report());
            try {
                CampaignDefinition.parse(t.campaign());
                if (!dryRun) {
                    Campaign c = campaigns.create(t.campaign());
                    j.put("id", c.id());
                    j.put("status", "created (draft: review, then POST /v1/campaigns/" + c.id() + "/activate)");
                } else {
                    j.put("status", "translated");
                }
            } catch (InvalidInput e) {
                j.put("status", "not created: the translated definition is refused");
                j.put("errors", e.errors().stream().map(x -> x.field() + " " + x.message()).toList());
            }
            journeys.add(j);
        }
        report.put("journeys", journeys);
        return report;
    }
}
