package dev.certops.alert;

import java.util.List;

/**
 * The port the renew run, drills and the status check report conditions to. An implementation
 * decides per condition: new → trigger, severity rose → trigger again, unchanged → repeat only after
 * repeatAfter, open earlier but absent now (inside the scope) → resolve. Delivery failures never
 * throw: a broken channel must never fail a renewal; they are recorded and returned.
 */
public interface Alerts {
    AlertReport report(AlertScope scope, List<AlertCondition> active);

    /** No channels configured: nothing is sent, nothing is recorded. */
    static Alerts none() { return (scope, active) -> AlertReport.EMPTY; }
}
