package dev.certops.cli;

import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.DeployPlan;
import dev.certops.operations.HeldLeases;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops deploy CERT_ID}: the release swap on every host of the certificate's waves. */
@Command(name = "deploy",
        description = {"Deploy a certificate version along its waves, verify it is served, roll back a host that fails.",
                "Per host: upload, swap live atomically, config test, reload, verify by TLS handshake; a host whose check",
                "fails is rolled back. The first failing wave stops the rollout.",
                "Several CERT_IDs are deployed at once in this process (--cert-concurrency), each under its own lease: one line per",
                "certificate as it ends, then a summary. Exit 2 if any failed; the others still complete."})
final class DeployCommand implements Callable<Integer> {
    private final CliContext ctx;
    // its own --version (of the certificate) replaces picocli's standard -V/--version, so --help is declared here
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.") boolean help;

    @Parameters(paramLabel = "CERT_ID", arity = "1..*", description = "The certificate's id in certops.yaml; give several to deploy them at once.")
    List<String> certificateIds;
    @Option(names = "--version", paramLabel = "N", description = "Which stored version (default: the newest).")
    String version;
    @Option(names = "--hosts", paramLabel = "ID", split = ",", description = "Only these hosts (keeping wave order).")
    List<String> hosts = List.of();
    @Option(names = "--dry-run", description = "Print every remote command that would run, per host; connect to nothing.")
    boolean dryRun;
    @Option(names = "--force", description = "Deploy even a version the gate refuses (revoked, expired, not yet valid, a chain clients reject, names not covering the endpoints); needs --reason, recorded.")
    boolean force;
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why --force overrides the gate (recorded in history).")
    String reason;
    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", description = "Hosts deployed at once inside a wave (default ${DEFAULT-VALUE}).")
    int concurrency;
    @Option(names = "--cert-concurrency", paramLabel = "N", defaultValue = "4",
            description = "With several certificates: how many are deployed at once (default ${DEFAULT-VALUE}); --concurrency is per certificate.")
    int certConcurrency;
    private String certificateId;

    DeployCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        if (concurrency < 1) {
            throw new CommandFailedException("--concurrency " + concurrency + " is not a number of hosts: give 1 or more "
                    + "(how many hosts of a wave are deployed at once; the default is 4)", ExitCodes.USAGE);
        }
        if (force != (reason != null) || (reason != null && reason.isBlank())) {
            throw new CommandFailedException("--force and --reason go together: --force --reason \"why this version must be served anyway\" "
                    + "(the reason is recorded in history)", ExitCodes.USAGE);
        }
        if (certConcurrency < 1) {
            throw new CommandFailedException("--cert-concurrency " + certConcurrency + " is not a number of certificates: give 1 or more "
                    + "(how many certificates are deployed at once; the default is 4)", ExitCodes.USAGE);
        }
        List<String> ids = List.copyOf(new LinkedHashSet<>(certificateIds));
        if (ids.size() > 1) {
            if (version != null) {
                throw new CommandFailedException("--version " + version + " names a stored version of one certificate: deploy "
                        + String.join(" ", ids) + " without it (each gets its newest), or one certificate with --version", ExitCodes.USAGE);
            }
            for (String id : ids) ctx.certificate(id); // an unknown id is a usage error naming the known ones, before anything is deployed
            if (!dryRun) return new DeployMany(ctx, certConcurrency).deploy(ids, this::plan);
            for (String id : ids) {
                certificateId = id;
                ctx.out().println("## " + id);
                execute();
            }
            return ExitCodes.OK;
        }
        certificateId = ids.get(0);
        if (dryRun) return execute();
        // the lease first: another console's deploy is named before anything else is looked at
        try (HeldLeases lease = ctx.lease(certificateId, "deploy", "certops deploy " + certificateId)) {
            return execute();
        }
    }

    private Integer execute() throws Exception {
        CertificateOperations operations = ctx.operations();
        DeployPlan plan = ctx.leased(() -> plan(certificateId));
        PrintWriter out = ctx.out();
        if (dryRun) {
            for (HostOutcome h : plan.preview()) {
                if (h instanceof HostOutcome.Planned p) {
                    out.println("# " + p.hostId());
                    p.commands().forEach(c -> out.println("  " + c));
                }
            }
            out.println("Dry run: nothing was connected to or changed.");
            return ExitCodes.OK;
        }
        Map<String, String> said = new ConcurrentHashMap<>();
        DeployListener progress = (host, state, why) -> {
            // a reason already given for this host (why it rolls back) is not repeated with each later state
            String before = why.isEmpty() ? null : said.put(host, why);
            String shown = before == null || !why.startsWith(before) ? why : why.substring(before.length()).replaceFirst("^\\s*—\\s*", "");
            synchronized (out) { out.println(host + ": " + state.words() + (shown.isEmpty() ? "" : " — " + shown)); out.flush(); }
        };
        RolloutResult r = operations.executeDeploy(plan, progress).rollout();
        // each host once more, without the reason its progress lines already gave, then the verdict
        for (HostOutcome h : r.hosts()) {
            out.println(h instanceof HostOutcome.RolledBack rb && said.containsKey(rb.hostId()) ? rb.hostId() + ": rolled back (why: above) — " + rb.where() : h.summary());
        }
        out.println(r.verdict());
        return !r.ok() ? ExitCodes.FAILED : r.unverifiedHosts().isEmpty() ? ExitCodes.OK : ExitCodes.WARNING;
    }

    /** This command's decision for one certificate: its version, the hosts asked for, the settings, --force. */
    private DeployPlan plan(String id) throws Exception {
        return ctx.operations().planDeploy(id, Optional.ofNullable(version), new LinkedHashSet<>(hosts),
                DeploySettings.DEFAULT.withConcurrency(concurrency).withDryRun(dryRun), force ? Optional.of(reason) : Optional.empty());
    }
}
