package dev.certops.acme;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.shredzone.acme4j.Metadata;

/**
 * What an order asks for beyond its names, fitted to what the CA offers: the configured
 * {@code profile:} only when the CA offers profiles (a CA without them issues its default, and
 * nothing assumes 90 days), and ARI {@code replaces} only when the CA offers renewal information
 * (acme4j refuses to send it otherwise). {@code notes} say what was left out and why.
 */
record OrderOptions(Optional<String> profile, Optional<String> replaces, List<String> notes) {

    /**
     * @throws OrderAttempt.AttemptFailed when the CA offers profiles but not the configured one
     */
    static OrderOptions fit(CaEndpoint ca, Metadata meta, boolean offersRenewalInfo, Optional<String> profile, Optional<String> replaces)
            throws OrderAttempt.AttemptFailed {
        List<String> notes = new ArrayList<>();
        Optional<String> sendProfile = Optional.empty();
        if (profile.isPresent()) {
            if (!meta.isProfileAllowed()) {
                notes.add(ca.label() + " offers no profiles: profile '" + profile.get() + "' not sent, the CA's default applies");
            } else if (!meta.isProfileAllowed(profile.get())) {
                throw new OrderAttempt.AttemptFailed(new AcmeFailure.Misconfigured(ca.label(), "does not offer profile '" + profile.get()
                        + "'; it offers " + String.join(", ", new TreeSet<>(meta.getProfiles())) + " — change profile: in certops.yaml"));
            } else {
                sendProfile = profile;
            }
        }
        Optional<String> sendReplaces = Optional.empty();
        if (replaces.isPresent()) {
            if (offersRenewalInfo) {
                sendReplaces = replaces;
            } else {
                notes.add(ca.label() + " offers no renewal information: 'replaces' not sent");
            }
        }
        return new OrderOptions(sendProfile, sendReplaces, List.copyOf(notes));
    }
}
