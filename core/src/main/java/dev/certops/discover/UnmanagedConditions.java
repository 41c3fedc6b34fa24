package dev.certops.discover;

import dev.certops.alert.AlertCondition;
import dev.certops.alert.AlertScope;
import dev.certops.alert.ConditionKind;
import dev.certops.alert.Severity;
import dev.certops.config.Thresholds;
import dev.certops.estate.Status;
import dev.certops.estate.StatusRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a renew run's discovery alerts on: one open condition per certificate served that certops.yaml
 * does not manage — raised when it is first found (a new unknown certificate), escalating with its
 * expiry like a managed one (critical / emergency / expired by the same thresholds), resolved when it
 * is no longer served or certops.yaml takes it over.
 */
public final class UnmanagedConditions {
    public static final AlertScope SCOPE = AlertScope.of(Set.of(ConditionKind.UNMANAGED_CERTIFICATE));

    private UnmanagedConditions() { }

    public static List<AlertCondition> of(DiscoveryReport r, Thresholds thresholds) {
        List<AlertCondition> out = new ArrayList<>();
        for (DiscoveredCertificate c : r.unmanaged()) {
            UnmanagedCertificate u = UnmanagedCertificate.of(c);
            // the severity follows expiry, as for managed certificates; what a client refuses (self-signed, wrong name) is said in the summary
            Severity sev = switch (StatusRules.of(c.leaf().notBefore(), c.leaf().notAfter(), thresholds, r.at())) {
                case CRITICAL -> Severity.CRITICAL;
                case EMERGENCY -> Severity.EMERGENCY;
                case EXPIRED -> Severity.EXPIRED;
                default -> Severity.WARNING;
            };
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("names", String.join(", ", u.names()));
            facts.put("issuer", u.issuer());
            facts.put("serial", u.serial());
            facts.put("notAfter", u.notAfter().toString());
            facts.put("daysLeft", String.valueOf(c.daysLeft()));
            facts.put("servedAt", String.join(", ", u.servedAt()));
            String when = c.status() == Status.OK || c.status() == Status.WARNING ? c.daysLeft() + " days left" : c.status().label() + ", " + c.daysLeft() + " days left";
            out.add(new AlertCondition(ConditionKind.UNMANAGED_CERTIFICATE, "unmanaged:" + u.label() + "@" + u.fingerprint().substring(0, 16), sev,
                    "certificate " + u.label() + " served at " + Discovery.where(c.servedAt()) + " is not managed by certops (" + when + ")", facts,
                    "./certops estate discover TARGETS --propose proposed.yaml, then merge its entry into certops.yaml"));
        }
        return out;
    }
}
