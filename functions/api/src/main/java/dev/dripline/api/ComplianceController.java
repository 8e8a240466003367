package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.compliance.ComplianceCheck;
import dev.dripline.compliance.RecipientJurisdiction;
import dev.dripline.compliance.RulesTable;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.errors.InvalidInput;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Sender;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Whether a message may go to a recipient at a time, and which rules of the compliance table say so. */
@Tag(name = "Compliance")
@Controller("/v1/compliance")
public class ComplianceController {

    /** {@code POST /v1/compliance/check}. */
    public record ComplianceCheckRequest(String to, @Nullable String category, @Nullable String topic,
                                         @Schema(description = "When to send (ISO-8601); now when absent") @Nullable Instant at,
                                         @Schema(description = "The sender number, for registration gates") @Nullable String from) {
    }

    /** The answer: allowed, or the next allowed time, with every rule applied. */
    public record ComplianceCheckResult(boolean allowed, @Nullable Instant nextAllowedAt, List<String> jurisdictions,
                                        List<ComplianceCheck.AppliedRule> rules, String rulesVersion,
                                        @Schema(allowableValues = {"topic", "all"}) String revocationScope, @Nullable String topic) {
    }

    private final Dripline dripline;
    private final Clock clock;
    private final ComplianceCheck.Registrations registrations;

    public ComplianceController(Dripline dripline) {
        this.registrations = dripline.settings().compliance();
        this.dripline = dripline;
        this.clock = dripline.clock();
    }

    @Post("/check")
    @Operation(operationId = "checkCompliance")
    public ComplianceCheckResult check(@Body ComplianceCheckRequest request) {
        PhoneNumber to = PhoneNumber.parse(request.to(), null, "to");
        Category category = request.category() == null ? Category.MARKETING : Category.fromWire(request.category());
        if (category == null) {
            throw InvalidInput.of("category", "must be marketing or transactional");
        }
        Optional<Contact> contact = dripline.contacts().byPhone(to.e164());
        List<String> candidates = RecipientJurisdiction.candidates(contact.map(Contact::country).orElse(to.country()), to.e164(),
                contact.map(Contact::attributes).orElse(null));
        Instant at = request.at() == null ? clock.instant() : request.at();
        ComplianceCheck.Answer a = ComplianceCheck.check(candidates, Sender.zones(contact, to.e164()), category.wire(), request.from(), at,
                RulesTable.bundled(), registrations);
        return new ComplianceCheckResult(a.allowed(), a.nextAllowedAt(), a.jurisdictions(), a.rules(), a.rulesVersion(),
                a.revocationScope(), request.topic());
    }
}
