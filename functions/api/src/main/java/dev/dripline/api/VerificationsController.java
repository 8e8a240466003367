package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.verifications.Verifications;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/** One-time codes: send one by SMS, check one. Both need the send scope. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Verifications")
@Controller("/v1/verifications")
public class VerificationsController {

    private final Verifications verifications;

    public VerificationsController(Dripline dripline) {
        this.verifications = dripline.verifications();
    }

    /** {@code POST /v1/verifications}: E.164 {@code to}, {@code channel} sms (the default), optional BCP 47 {@code locale}. */
    public record SendCode(@Schema(example = "+14155550123") @Nullable String to, @Schema(example = "sms") @Nullable String channel,
                           @Schema(example = "en") @Nullable String locale) {
    }

    /** {@code POST /v1/verifications/check}. */
    public record CheckCode(@Schema(example = "+14155550123") @Nullable String to, @Schema(example = "123456") @Nullable String code) {
    }

    /** approved: the code matched and is used up; pending: wrong code, try again; denied: no valid code. */
    public record CheckResult(String to, @Schema(allowableValues = {"approved", "pending", "denied"}) String status) {
    }

    /** 202: the code is on its way; any earlier code for the number no longer works. */
    @Post
    @ApiResponse(responseCode = "202", description = "The code is on its way", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Verifications.Sent.class)))
    @io.swagger.v3.oas.annotations.Operation(operationId = "sendVerification")
    @ApiResponse(responseCode = "503", description = "No SMS provider is configured: nothing can be sent (problem+json)")
    public HttpResponse<Verifications.Sent> send(HttpRequest<?> request, @Body SendCode body) {
        return HttpResponse.accepted().body(verifications.send(body.to(), body.channel(), body.locale(), Actors.of(request)));
    }

    @Post("/check")
    @io.swagger.v3.oas.annotations.Operation(operationId = "checkVerification")
    public CheckResult check(@Body CheckCode body) {
        return new CheckResult(body.to(), verifications.check(body.to(), body.code()).wire());
    }
}
