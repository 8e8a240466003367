package dev.dripline.local;

import dev.dripline.Dripline;
import dev.dripline.analytics.Reconciliation;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the local runtime does when it starts on a data directory, which may have been left by a
 * process killed mid-work. The tables and the queues' messages are on disk; the schedules, the
 * carrier's pending receipts and the counts not yet written were in memory. Every step is
 * idempotent: running it after a clean stop changes nothing.
 */
final class CrashRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecovery.class);

    private CrashRecovery() {
    }

    /**
     * @param simulatorOnly the simulated carrier is the only provider, so it alone can say whether
     *                      a message claimed before the stop was handed over
     */
    static void recover(Dripline dripline, SimulatedCarrier carrier, Path dataDir, boolean simulatorOnly) {
        int reported = carrier.keepJournal(dataDir.resolve("carrier").resolve("journal.jsonl"));
        if (reported > 0) {
            LOG.info("the simulated carrier reports again {} messages whose final receipt was not acknowledged", reported);
        }
        if (simulatorOnly) {
            int released = 0;
            for (var m : dripline.messageStore().claimedNotHandedOver()) {
                if (!carrier.took(m.id())) {
                    // Claimed, then the process died before the call reached the carrier: never sent, so sent now.
                    dripline.messageStore().release(m.id());
                    released++;
                }
            }
            if (released > 0) {
                LOG.info("{} messages claimed but never given to the carrier before the stop are sent again", released);
            }
        }
        int resumed = dripline.messages().resumeUnsent();
        if (resumed > 0) {
            LOG.info("resumed {} messages accepted before the restart", resumed);
        }
        int steps = dripline.journeys().resumePending();
        if (steps > 0) {
            LOG.info("rescheduled {} enrolments and broadcast holds from before the restart", steps);
        }
        int broadcasts = dripline.broadcasts().resumeUnfinished();
        if (broadcasts > 0) {
            LOG.info("resumed {} broadcasts scheduled or sending before the restart", broadcasts);
        }
        reconcile(dripline);
        carrier.reportOwed();
    }

    /** Counters written after the records they count may have missed a kill in between: recounted from the records. */
    private static void reconcile(Dripline dripline) {
        Reconciliation reconciliation = dripline.reconciliation();
        int repaired = 0;
        for (String id : dripline.broadcasts().ids()) {
            if (dripline.broadcasts().recount(id) | !reconciliation.repairBroadcast(id).isEmpty()) {
                repaired++;
            }
        }
        for (String id : dripline.counters().ids("campaigns")) {
            if (!reconciliation.repairCampaign(id).isEmpty()) {
                repaired++;
            }
        }
        if (repaired > 0) {
            LOG.info("counters of {} broadcasts and campaigns recounted from their messages", repaired);
        }
    }
}
