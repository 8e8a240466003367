package dev.dripline.drip;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.messaging.Message;
import dev.dripline.schedule.Due;
import dev.dripline.engines.Engines;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@link DripHarness} for tests in other packages (broadcasts). */
public final class DripHarnessAccess {

    private final DripHarness h;

    public DripHarnessAccess(Engines engines, Instant start) {
        this(engines, start, Map.of());
    }

    public DripHarnessAccess(Engines engines, Instant start, Map<String, String> env) {
        this.h = new DripHarness(engines, start, env);
    }

    public Dripline core() {
        return h.core;
    }

    public dev.dripline.engines.TestClock clock() {
        return h.clock;
    }

    public Instant now() {
        return h.clock.instant();
    }

    public Contact contact(String phone, String firstName, ConsentStatus consent) {
        return h.contact(phone, firstName, consent, Map.of());
    }

    public void advanceTo(Instant at) {
        h.advanceTo(at);
    }

    public void pump() {
        h.pump();
    }

    public void deliver(Due due) {
        h.deliver(due);
    }

    public List<Message> sent(String contactId) {
        return h.sent(contactId);
    }

    public List<TestCore.Scheduled> scheduled() {
        return h.test.scheduled;
    }
}
