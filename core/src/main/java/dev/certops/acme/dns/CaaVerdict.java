package dev.certops.acme.dns;

import dev.certops.words.Words;
import java.util.List;

/**
 * The CAA check for a set of names and one CA identity.
 *
 * @param caaIdentity the issuer domain checked ("letsencrypt.org")
 * @param results     one result per name, in the order asked
 */
public record CaaVerdict(String caaIdentity, List<CaaResult> results) {
    public CaaVerdict {
        results = List.copyOf(results);
    }

    /** True when the CA may issue for every name. */
    public boolean allowed() { return results.stream().allMatch(r -> r instanceof CaaResult.Allowed); }

    /** The names the CA may not issue for (refused or lookup failed). */
    public List<CaaResult> blocked() { return results.stream().filter(r -> !(r instanceof CaaResult.Allowed)).toList(); }

    /** "CAA allows sectigo.com for all 2 names", or the reasons of the blocked names joined with " | ". */
    public String summary() {
        if (allowed()) return "CAA allows " + caaIdentity + " for " + (results.size() == 1 ? "the name" : "all " + results.size() + " names");
        return String.join(" | ", blocked().stream().map(CaaResult::reason).toList());
    }
}
