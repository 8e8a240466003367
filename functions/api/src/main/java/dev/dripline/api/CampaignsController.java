package dev.dripline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Dripline;
import dev.dripline.contacts.Contacts;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.drip.Campaign;
import dev.dripline.drip.Campaigns;
import dev.dripline.drip.Enrolment;
import dev.dripline.drip.Journeys;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import dev.dripline.schedule.Due;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.http.annotation.Put;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drip campaigns: a definition (trigger, steps, goals, window, re-entry, variants) and its
 * lifecycle. {@code PUT} makes a new version; running enrolments keep the one they started on.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Campaigns")
@Controller("/v1/campaigns")
public class CampaignsController {

    private final Campaigns campaigns;
    private final Dripline dripline;

    public CampaignsController(Dripline dripline) {
        this.dripline = dripline;
        this.campaigns = dripline.campaigns();
    }

    @ApiResponse(responseCode = "201", description = "A draft campaign (version 1); activate it to enrol contacts",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = Campaign.class)))
    @Post
    @io.swagger.v3.oas.annotations.Operation(operationId = "createCampaign")
    public HttpResponse<Campaign> create(@Body Map<String, Object> definition) {
        return HttpResponse.created(campaigns.create(knownTopic(tree(definition))));
    }

    @Get("{?limit,cursor}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "listCampaigns")
    public CampaignList list(@Nullable String limit, @Nullable String cursor) {
        Campaigns.Page page = campaigns.list(Limits.parse(limit), cursor);
        return new CampaignList(page.items(), page.nextCursor());
    }

    @Get("/{id}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getCampaign")
    public Campaign get(String id) {
        return campaigns.get(id);
    }

    @Put("/{id}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "updateCampaign")
    public Campaign update(String id, @Body Map<String, Object> definition) {
        return campaigns.update(id, knownTopic(tree(definition)));
    }

    @Post("/{id}/activate")
    @io.swagger.v3.oas.annotations.Operation(operationId = "activateCampaign")
    public Campaign activate(String id) {
        Campaign c = campaigns.transition(id, Campaign.Status.ACTIVE);
        dripline.journeyInbox().activated(c);
        return c;
    }

    @Post("/{id}/pause")
    @io.swagger.v3.oas.annotations.Operation(operationId = "pauseCampaign")
    public Campaign pause(String id) {
        return campaigns.transition(id, Campaign.Status.PAUSED);
    }

    /** Resumes a paused campaign: the steps that fell due while it was paused go on now. */
    @Post("/{id}/resume")
    @io.swagger.v3.oas.annotations.Operation(operationId = "resumeCampaign")
    public Campaign resume(String id) {
        Campaign c = campaigns.transition(id, Campaign.Status.ACTIVE);
        dripline.journeyInbox().activated(c);
        dripline.timers().now(new Due.Resume(id));
        return c;
    }

    /** Archives a campaign: it enrols no one, and each running enrolment ends at its next step. */
    @Post("/{id}/archive")
    @io.swagger.v3.oas.annotations.Operation(operationId = "archiveCampaign")
    public Campaign archive(String id) {
        return campaigns.transition(id, Campaign.Status.ARCHIVED);
    }

    /** {@code {contactIds?: [...], phones?: [...], properties?, requestId?}}: enrols by API, answered 202. */
    public record EnrolmentRequest(@Nullable List<String> contactIds, @Nullable List<String> phones, @Nullable String country,
                                   @Nullable Map<String, Object> properties, @Nullable String requestId) {
    }

    /** 202 to an enrolment request: how many contacts, under which request id. */
    public record EnrolmentAccepted(String campaignId, int requested, String requestId) {
    }


    @ApiResponse(responseCode = "202", description = "Accepted: the contacts are enrolled by the steps function",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = EnrolmentAccepted.class)))
    @Post("/{id}/enrolments")
    @io.swagger.v3.oas.annotations.Operation(operationId = "enrolContacts")
    public HttpResponse<EnrolmentAccepted> enrol(String id, @Body EnrolmentRequest request,
                                                   @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        Campaign campaign = campaigns.get(id);
        if (campaign.status() != Campaign.Status.ACTIVE) {
            throw new dev.dripline.errors.Conflict("campaign " + id + " is " + campaign.status().wire() + "; activate it to enrol contacts");
        }
        Contacts contacts = dripline.contacts();
        List<FieldError> errors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> given = request.contactIds() == null ? List.of() : request.contactIds();
        List<String> phones = request.phones() == null ? List.of() : request.phones();
        if (given.isEmpty() && phones.isEmpty()) {
            errors.add(new FieldError("contactIds", "give contactIds or phones"));
        }
        if (given.size() + phones.size() > 1000) {
            errors.add(new FieldError("contactIds", "at most 1000 contacts per request"));
        }
        if (errors.isEmpty()) {
            for (int i = 0; i < given.size(); i++) {
                String cid = given.get(i);
                if (cid == null || contacts.get(cid).isEmpty()) {
                    errors.add(new FieldError("contactIds[" + i + "]", "no contact " + cid));
                } else {
                    ids.add(cid);
                }
            }
            for (int i = 0; i < phones.size(); i++) {
                try {
                    PhoneNumber p = PhoneNumber.parse(phones.get(i), request.country(), "phones[" + i + "]");
                    contacts.byPhone(p.e164()).ifPresentOrElse(c -> ids.add(c.id()),
                            () -> errors.add(new FieldError("phones", "no contact has the number " + dev.dripline.logging.Masked.phone(p.e164()))));
                } catch (InvalidInput bad) {
                    errors.addAll(bad.errors());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        String requestId = idempotencyKey != null ? "key:" + idempotencyKey
                : request.requestId() != null ? "req:" + request.requestId() : dev.dripline.ids.Ids.next("enr", dripline.clock());
        dripline.journeyInbox().enrol(id, ids, request.properties(), requestId);
        return HttpResponse.accepted().body(new EnrolmentAccepted(id, ids.size(), requestId));
    }

    /**
     * Where one contact stands in a campaign: step, state, history. A keyed trigger's runs are one
     * per key value: {@code ?key=apt-1} names the run (the appointment).
     */
    @Get("/{id}/enrolments/{contactId}{?key}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getEnrolment")
    public Enrolment enrolment(String id, String contactId, @Nullable String key) {
        campaigns.get(id);
        Journeys journeys = dripline.journeys();
        return journeys.enrolmentOf(contactId, id, key == null || key.isBlank() ? null : key);
    }

    /** A campaign's {@code topic} must be one of DRIPLINE_TOPICS (the definition's own checks come after). */
    private JsonNode knownTopic(JsonNode json) {
        if (json.hasNonNull("topic") && json.get("topic").isTextual()) {
            dripline.settings().topics().resolve(json.get("topic").asText(), "marketing", "topic");
        }
        return json;
    }

    private static JsonNode tree(Map<String, Object> body) {
        if (body == null) {
            throw new InvalidInput(List.of(new FieldError("body", "a campaign definition is required")));
        }
        return Json.mapper().valueToTree(body);
    }
}
