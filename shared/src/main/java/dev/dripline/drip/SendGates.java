package dev.dripline.drip;

import dev.dripline.compliance.QuietHours;
import dev.dripline.compliance.QuietHours.Jurisdiction;
import dev.dripline.contacts.Contact;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Sender;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/** When a step may act: its wait, then (for a step that sends) the quiet hours narrowed by the campaign's send window. */
final class SendGates {

    private SendGates() {
    }

    /** Now, or when a message may next go, and the reason it waits (a tally's name). */
    record Gate(Instant until, String reason) {
    }

    /** When a message of this campaign may next go to the contact: now, or the next opening. */
    static Gate gate(Contact contact, CampaignDefinition def, Instant now) {
        List<ZoneId> zones = Sender.zones(Optional.of(contact), contact.phone());
        Optional<CampaignDefinition.SendWindow> w = def.sendWindow();
        if (def.category() == Category.MARKETING) {
            Jurisdiction quiet = Jurisdiction.of(contact.country(), contact.phone(), contact.attributes());
            Instant quietOnly = QuietHours.nextAllowed(now, zones, quiet);
            if (w.isEmpty()) {
                return new Gate(quietOnly, "deferred.quietHours");
            }
            Instant both = QuietHours.nextAllowed(now, zones, quiet.narrowedTo(w.get().start(), w.get().end(), w.get().days()));
            return new Gate(both, both.equals(quietOnly) ? "deferred.quietHours" : "deferred.sendWindow");
        }
        if (w.isPresent()) {
            Jurisdiction window = new Jurisdiction("send window", w.get().start(), w.get().end(), false, false, w.get().days());
            return new Gate(QuietHours.nextAllowed(now, zones, window), "deferred.sendWindow");
        }
        return new Gate(now, null);
    }

    /** When a step arriving now falls due: after its wait, measured from now (the previous step). */
    static Instant dueAt(CampaignDefinition.Step step, Instant now, Contact contact) {
        if (step.pause().isEmpty()) {
            return now;
        }
        CampaignDefinition.Wait wait = step.pause().get();
        if (wait instanceof CampaignDefinition.Wait.For f) {
            return now.plus(f.duration());
        }
        if (wait instanceof CampaignDefinition.Wait.At a) {
            return a.at().isAfter(now) ? a.at() : now;
        }
        CampaignDefinition.Wait.Until until = (CampaignDefinition.Wait.Until) wait;
        ZoneId zone = ContactZone.of(contact);
        ZonedDateTime local = now.atZone(zone);
        LocalDate day = local.toLocalDate();
        if (!local.toLocalTime().isBefore(until.time())) {
            day = day.plusDays(1);
        }
        while (!until.days().contains(day.getDayOfWeek())) {
            day = day.plusDays(1);
        }
        // atZone moves a time inside a DST gap forward, never back.
        return day.atTime(until.time()).atZone(zone).toInstant();
    }
}
