package dev.certops.cli;

import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.HostCheck;
import dev.certops.deploy.HostKeys;
import dev.certops.deploy.ServerSnippets;
import dev.certops.operations.HeldLeases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code certops hosts check|trust|snippet}. */
@Command(name = "hosts", mixinStandardHelpOptions = true, description = "Check, trust and configure deploy hosts.",
        subcommands = {HostsCommand.Check.class, HostsCommand.Trust.class, HostsCommand.Snippet.class, HostsCommand.Adopt.class})
final class HostsCommand implements Runnable {
    private final CliContext ctx;

    HostsCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public void run() { ctx.out().println("Use: ./certops hosts check [HOST_ID] | trust HOST_ID | snippet HOST_ID | adopt HOST_ID --cert CERT_ID [--from DIR]"); }

    static HostConfig host(CliContext ctx, String id) throws Exception {
        CertopsConfig config = ctx.config();
        return config.host(id).orElseThrow(() -> new CommandFailedException("no host '" + id + "' in " + config.file(), ExitCodes.USAGE));
    }

    /** The certificates whose deploy waves include this host, in config order. */
    static List<CertificateConfig> deployedTo(CertopsConfig config, HostConfig host) {
        return config.certificates().stream().filter(c -> c.hosts().contains(host.id())).toList();
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Connect (host key checked), look at certDir, run the config test. Changes nothing.")
    static final class Check implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "HOST_ID", arity = "0..1", description = "One host's id in certops.yaml (default: every host).") String hostId;
        Check(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertopsConfig config = ctx.config();
            List<HostConfig> hosts = hostId == null ? config.hosts() : List.of(host(ctx, hostId));
            List<List<HostCheck.Line>> results = HostCheck.runAll(ctx.session().connectors(), hosts, h -> deployedTo(config, h), Duration.ofSeconds(30));
            boolean ok = true;
            for (int i = 0; i < hosts.size(); i++) {
                ctx.out().println(hosts.get(i).id());
                for (HostCheck.Line l : results.get(i)) {
                    ctx.out().printf("  %-4s %-12s %s%n", l.ok() ? "ok" : "FAIL", l.what(), l.detail());
                    ok &= l.ok();
                }
            }
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true, description = "Show the host's key fingerprint, ask, and add it to the host's known_hosts.")
    static final class Trust implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "HOST_ID", description = "The host's id in certops.yaml.") String hostId;
        Trust(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            HostConfig h = host(ctx, hostId);
            HostKeys keys = ctx.session().connectors().hostKeys(h).orElseThrow(() ->
                    new CommandFailedException(hostId + " is address: local — there is no host key to trust", ExitCodes.USAGE));
            HostKeys.HostKeyInfo k = keys.scan(h);
            ctx.out().println(hostId + " (" + k.knownHostsName() + ") presents " + k.type() + " key " + k.fingerprint());
            String file = k.knownHostsFile().isEmpty() ? "the workspace's known_hosts" : k.knownHostsFile();
            if (k.listed() == HostKeys.Listed.TRUSTED) {
                ctx.out().println("This key is already trusted (" + file + " lists it); nothing was changed.");
                return ExitCodes.OK;
            }
            if (k.listed() == HostKeys.Listed.CHANGED) {
                // never a question: a yes at 3 a.m. must not be able to replace a trusted key
                ctx.out().println("REFUSED: " + file + " lists a DIFFERENT key for " + k.knownHostsName() + ". certops never replaces a trusted key,"
                        + " and deploys to " + hostId + " are refused until this is settled. The host may have been re-installed or re-keyed,"
                        + " or something is answering in its place.");
                ctx.out().println("  1. Ask " + hostId + "'s administrator whether its SSH keys changed, and compare " + k.fingerprint()
                        + " with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` run ON the host.");
                ctx.out().println("  2. Only if they match: delete the line for " + k.knownHostsName() + " from " + file + ", then run ./certops hosts trust "
                        + hostId + " again.");
                ctx.out().println("  3. If nobody changed the keys: treat it as a security incident and do not deploy to " + hostId + ".");
                return ExitCodes.FAILED;
            }
            ctx.out().println("Compare with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` run ON the host. Trust it? [y/N]");
            ctx.out().flush();
            String answer = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().equalsIgnoreCase("y") && !answer.strip().equalsIgnoreCase("yes")) {
                ctx.out().println("Not trusted; nothing was changed.");
                return ExitCodes.FAILED;
            }
            keys.trust(h, k);
            ctx.out().println("Added to known_hosts: " + k.knownHostsLine().substring(0, Math.min(60, k.knownHostsLine().length())) + "…");
            return ExitCodes.OK;
        }
    }

    @Command(name = "snippet", mixinStandardHelpOptions = true, description = "Print each certificate's folder and live files on the host, and the lines to paste into nginx, apache, haproxy, postfix, dovecot or a Java server.")
    static final class Snippet implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "HOST_ID", description = "The host's id in certops.yaml.") String hostId;
        Snippet(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            ctx.out().print(ServerSnippets.forHost(host(ctx, hostId), deployedTo(ctx.config(), host(ctx, hostId))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "adopt", mixinStandardHelpOptions = true,
            description = "Take what a host serves today (a foreign live link, or plain files with --from DIR) into releases/ as release zero, served throughout; the first deploy can roll back to it.")
    static final class Adopt implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "HOST_ID", description = "The host (its id in certops.yaml).") String hostId;
        @picocli.CommandLine.Option(names = "--cert", paramLabel = "CERT_ID", required = true,
                description = "The certificate whose current files on that host become release zero.") String certificateId;
        @picocli.CommandLine.Option(names = "--from", paramLabel = "DIR", description = "the folder whose fullchain.pem/privkey.pem (cert.pem, chain.pem) the server reads today") String from;
        Adopt(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertificateConfig cert = ctx.certificate(certificateId);
            try (HeldLeases lease = ctx.lease(certificateId, "adopt", "certops hosts adopt " + hostId + " --cert " + certificateId)) {
                String line = ctx.session().deployer(DeploySettings.DEFAULT)
                        .adopt(cert, ctx.config().hosts(), hostId, Optional.ofNullable(from), DeployListener.NONE);
                ctx.out().println(line);
                return line.contains("WARNING") || line.contains("NOT verified") ? ExitCodes.WARNING : ExitCodes.OK;
            }
        }
    }
}
