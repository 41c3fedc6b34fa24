package dev.certops.deploy;

import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What host deployments share: how to connect, how to verify, the settings. Dry runs connect to nothing. */
final class DeployContext {
    private final HostConnectors connectors;
    private final ServedCheck check;
    private final DeploySettings settings;
    /**
     * One gate per web server in this process, not per deploy: deploys of different certificates to virtual
     * hosts of one server run side by side (a runbook's forEach items, {@code deploy A B}), and a swap by one
     * must be seen by the config test and reload of the other (else nginx reads one certificate's old
     * fullchain.pem with its new privkey.pem and the reload fails, "key values mismatch").
     */
    private static final Map<String, ServiceGate> GATES = new ConcurrentHashMap<>();
    private final ServiceCommands.Cache services = new ServiceCommands.Cache();

    DeployContext(HostConnectors connectors, ServedCheck check, DeploySettings settings) {
        this.connectors = connectors;
        this.check = check;
        this.settings = settings;
    }

    DeploySettings settings() { return settings; }

    /** The gate of the web server this host entry's test and reload commands address (shared by entries of one server). */
    ServiceGate gate(HostConfig host) {
        return settings.dryRun() ? new ServiceGate() : GATES.computeIfAbsent(ServiceGate.key(host), k -> new ServiceGate());
    }

    /** The host's config test and reload: its own test:/reload:, else the preset chosen from what the host has (read once per run). */
    ServiceCommands.Commands commands(HostChannel ch, HostConfig host) throws DeployException {
        if (settings.dryRun()) return new ServiceCommands.Commands(host.testCommand(), host.reloadCommand());
        return services.commands(ch, host, settings.commandTimeout());
    }

    HostChannel open(HostConfig host) throws DeployException {
        if (!settings.dryRun()) return connectors.open(host);
        return host.sudo() ? new SudoChannel(new DryRunChannel(host.id()), host) : new DryRunChannel(host.id());
    }

    /** Empty when the endpoints serve {@code sha256}; a dry run only notes the handshakes it would make. */
    Optional<String> verify(HostChannel ch, List<Endpoint> endpoints, String sha256) {
        return verifyWithin(ch, endpoints, sha256, settings.verifyDeadline());
    }

    /** As {@link #verify}, polling at most {@code deadline} (never longer than the settings' deadline). */
    Optional<String> verifyWithin(HostChannel ch, List<Endpoint> endpoints, String sha256, Duration deadline) {
        if (settings.dryRun()) {
            if (ch instanceof DryRunChannel d) {
                for (Endpoint e : endpoints) d.note("(TLS handshake to " + e + " until its leaf has SHA-256 " + sha256 + ", up to " + settings.verifyDeadline().toSeconds() + " s)");
            }
            return Optional.empty();
        }
        Duration d = deadline.compareTo(settings.verifyDeadline()) < 0 ? deadline : settings.verifyDeadline();
        return check.awaitServed(endpoints, sha256, d, settings.verifyInterval());
    }
}
