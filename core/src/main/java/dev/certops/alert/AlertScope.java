package dev.certops.alert;

import java.util.Optional;
import java.util.Set;

/**
 * Which conditions a report speaks for. A condition open from an earlier report but absent from
 * this one is resolved only when it is inside the scope: a `renew --cert api` run never resolves
 * conditions of other certificates, a drill never resolves renewal conditions.
 */
public record AlertScope(Set<ConditionKind> kinds, Optional<Set<String>> subjects) {
    public AlertScope {
        kinds = Set.copyOf(kinds);
        subjects = subjects.map(Set::copyOf);
    }

    public static AlertScope of(Set<ConditionKind> kinds) { return new AlertScope(kinds, Optional.empty()); }

    public static AlertScope of(Set<ConditionKind> kinds, Set<String> subjects) { return new AlertScope(kinds, Optional.of(subjects)); }

    public boolean covers(ConditionKind kind, String subject) {
        return kinds.contains(kind) && subjects.map(s -> s.contains(subject)).orElse(true);
    }
}
