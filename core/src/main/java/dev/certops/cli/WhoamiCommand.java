package dev.certops.cli;

import dev.certops.config.Durations;
import dev.certops.identity.SigningKey;
import dev.certops.team.AllowedSigners;
import dev.certops.team.Role;
import dev.certops.team.TeamAccess;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code certops whoami}: the signing key this person acts with, and what it may do here. */
@Command(name = "whoami", mixinStandardHelpOptions = true,
        description = "Show who you act as (your SSH signing key, from ssh-agent or $CERTOPS_SIGNING_KEY) and your roles in this workspace.")
final class WhoamiCommand implements Callable<Integer> {
    private final CliContext ctx;

    WhoamiCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        ctx.config();
        TeamAccess team = ctx.session().team();
        if (!team.teamMode()) {
            ctx.out().println("You act as " + ctx.actor() + ": this workspace has no " + AllowedSigners.FILE
                    + ", so there is one operator who may do everything, recorded as user@machine.");
            team.signingKey().ifPresent(k -> ctx.out().println("Your signing key would be " + k.publicKey() + " (" + k.source() + ")."));
            return ExitCodes.OK;
        }
        Optional<SigningKey> key = team.signingKey();
        if (key.isEmpty()) {
            ctx.out().println("No signing key: " + team.keyProblem().orElse("") + ".");
            ctx.out().println("This workspace lists its people in " + AllowedSigners.FILE + "; without a key you may not change anything.");
            return ExitCodes.NOT_ALLOWED;
        }
        ctx.history();
        SigningKey k = key.get();
        ctx.out().println("Key:   " + k.publicKey() + " (" + k.source() + ")");
        Optional<TeamAccess.InForce> inForce = team.inForce();
        AllowedSigners set = inForce.map(TeamAccess.InForce::signers).orElse(team.files().orElseThrow().signers());
        Optional<AllowedSigners.Signer> me = set.find(k.publicKey());
        if (me.isEmpty()) {
            ctx.out().println("Not in " + AllowedSigners.FILE + (inForce.isPresent() ? " (as recorded)" : "") + ": you may not change anything. "
                    + "Ask an admin to add:");
            ctx.out().println("  you@example.com roles=\"operator\" " + k.publicKey().openSsh());
            return ExitCodes.NOT_ALLOWED;
        }
        ctx.out().println("As:    " + String.join(", ", me.get().principals()));
        ctx.out().println("Roles: " + me.get().roles().stream().sorted().map(r -> r.id() + " (" + r.allows() + ")").collect(Collectors.joining("; ")));
        if (me.get().roles().isEmpty() || me.get().roles().equals(Set.of(Role.VIEWER))) ctx.out().println("You may read only.");
        ctx.out().println("Two-person gates: " + String.join(", ", team.policy().gates()) + " (requests expire after "
                + Durations.format(team.policy().approvalsExpireAfter()) + ")");
        if (inForce.isEmpty()) {
            ctx.out().println("Note: " + AllowedSigners.FILE + " is not recorded yet — an admin runs ./certops team record before anyone can change anything.");
        } else if (!inForce.get().signers().sha256().equals(team.files().orElseThrow().signers().sha256())
                || !inForce.get().policy().text().equals(team.files().orElseThrow().policy().text())) {
            ctx.out().println("Note: the team folder changed since " + inForce.get().recordedBy() + " recorded it — an admin runs ./certops team record.");
        }
        return ExitCodes.OK;
    }
}
