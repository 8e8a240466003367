package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.signup.SignupForm;
import dev.dripline.signup.SignupForms;
import dev.dripline.store.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sign-up forms: {@code POST/GET/PUT/DELETE /v1/signup-forms}. Each form's page is
 * {@code /join/{id}} ({@link JoinController}); a replacement is a new version, and the ledger
 * records which version (and its consent text) a person confirmed. Bodies are read as JSON
 * objects and checked field by field by the core, so an unknown field is a 422 naming it.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Signup forms")
@Controller("/v1/signup-forms")
public class SignupFormsController {

    private final SignupForms forms;
    private final Settings settings;

    public SignupFormsController(Dripline dripline) {
        this.forms = dripline.signupForms();
        this.settings = dripline.settings();
    }

    /** {@code POST /v1/signup-forms} and {@code PUT /v1/signup-forms/{id}}. */
    @Schema(name = "NewSignupForm")
    public record NewSignupForm(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Newsletter", description = "the page's title, at most 100 characters")
            String name,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "I agree to receive recurring marketing texts from Acme at this number. Msg&data rates may apply. Reply STOP to opt out.",
                    description = "shown next to the required checkbox and kept in the consent ledger; at most 2000 characters")
            String consentText,
            @Nullable @ArraySchema(schema = @Schema(description = "a field name (firstName, lastName, email, zip, or another: an attribute)"
                    + " or {name, label?, required?}; not required unless it says so", example = "firstName"))
            List<Object> fields,
            @Nullable @Schema(example = "JOIN", description = "a keyword people may text instead, shown on the page") String keyword) {
    }

    /** A form as stored, with its page's address. */
    @Schema(name = "SignupForm")
    public record SignupFormView(String id, String url, String name, String consentText, List<SignupForm.Field> fields,
                                 @Nullable String keyword, int version, Instant createdAt, Instant updatedAt) {

        static SignupFormView of(SignupForm f, String base) {
            return new SignupFormView(f.id(), base + "/join/" + f.id(), f.name(), f.consentText(), f.fields(), f.keyword(), f.version(),
                    f.createdAt(), f.updatedAt());
        }
    }

    @Schema(name = "SignupFormList")
    public record SignupFormList(List<SignupFormView> items,
                                 @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    @Post
    @Operation(operationId = "createSignupForm", summary = "Create a sign-up form (its hosted page is url: /join/{id})")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = NewSignupForm.class)))
    @ApiResponse(responseCode = "201", description = "The new form, with its id and the url of its page",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SignupFormView.class)))
    public HttpResponse<SignupFormView> create(HttpRequest<?> request, @Body Map<String, Object> body) {
        return HttpResponse.created(SignupFormView.of(forms.create(body), base(request)));
    }

    @Get("{?limit,cursor}")
    @Operation(operationId = "listSignupForms", summary = "List sign-up forms")
    @ApiResponse(responseCode = "200", description = "A page, and the cursor of the next one (null on the last)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SignupFormList.class)))
    public SignupFormList list(HttpRequest<?> request, @Nullable String limit, @Nullable String cursor) {
        Page<SignupForm> page = forms.list(Limits.parse(limit), cursor);
        String base = base(request);
        return new SignupFormList(page.items().stream().map(f -> SignupFormView.of(f, base)).toList(), page.nextCursor());
    }

    @Get("/{id}")
    @Operation(operationId = "getSignupForm", summary = "Read a sign-up form")
    @ApiResponse(responseCode = "200", description = "The form",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SignupFormView.class)))
    public SignupFormView get(HttpRequest<?> request, String id) {
        return SignupFormView.of(forms.get(id), base(request));
    }

    @Put("/{id}")
    @Operation(operationId = "replaceSignupForm", summary = "Replace a sign-up form (the whole form, as for create): a new version")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = NewSignupForm.class)))
    @ApiResponse(responseCode = "200", description = "The form as it now is",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SignupFormView.class)))
    public SignupFormView replace(HttpRequest<?> request, String id, @Body Map<String, Object> body) {
        return SignupFormView.of(forms.replace(id, body), base(request));
    }

    @Delete("/{id}")
    @Operation(operationId = "deleteSignupForm", summary = "Delete a sign-up form (its page then answers 404)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    public HttpResponse<Void> delete(String id) {
        forms.delete(id);
        return HttpResponse.noContent();
    }

    private String base(HttpRequest<?> request) {
        String url = RequestUrl.of(request, settings).toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
