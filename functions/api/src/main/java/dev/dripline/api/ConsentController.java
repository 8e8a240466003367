package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.consent.ConsentExport;
import dev.dripline.consent.ConsentLedger;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger for auditors: {@code GET /v1/consent/export?from=&to=&format=csv|jsonl}. Paged, not
 * streamed (API Gateway buffers responses): up to {@code limit} entries (default 1,000, at most
 * 5,000) per response, the next page's cursor in the {@code Dripline-Next-Cursor} header (absent
 * on the last page).
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Consent")
@Controller("/v1/consent")
public class ConsentController {

    static final String NEXT_CURSOR = "Dripline-Next-Cursor";
    private static final Duration MAX_RANGE = Duration.ofDays(366);

    private final ConsentLedger ledger;

    public ConsentController(Dripline dripline) {
        this.ledger = dripline.consentLedger();
    }

    @Get("/export{?from,to,format,limit,cursor}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "exportConsent")
    public HttpResponse<String> export(@Nullable String from, @Nullable String to, @Nullable String format,
                                       @Nullable String limit, @Nullable String cursor) {
        List<FieldError> errors = new ArrayList<>();
        Instant start = instant(from, "from", errors);
        Instant end = instant(to, "to", errors);
        String f = null;
        try {
            f = ConsentExport.format(format);
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        int size = 1000;
        if (limit != null && !limit.isBlank()) {
            try {
                size = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > 5000) {
                errors.add(new FieldError("limit", "must be a whole number from 1 to 5000"));
            }
        }
        if (start != null && end != null && (!end.isAfter(start) || Duration.between(start, end).compareTo(MAX_RANGE) > 0)) {
            errors.add(new FieldError("to", "must be after from, and at most 366 days after it"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        ConsentLedger.ExportPage page = ledger.export(start, end, size, cursor);
        MutableHttpResponse<String> response = HttpResponse.ok(ConsentExport.render(page.items(), f))
                .contentType(ConsentExport.contentType(f));
        if (page.nextCursor() != null) {
            response.header(NEXT_CURSOR, page.nextCursor());
        }
        return response;
    }

    private static Instant instant(String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required: an ISO-8601 UTC time such as 2026-11-21T00:00:00Z"));
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + value + "' is not an ISO-8601 UTC time such as 2026-11-21T00:00:00Z"));
            return null;
        }
    }
}
