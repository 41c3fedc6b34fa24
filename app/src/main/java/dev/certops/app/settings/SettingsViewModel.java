package dev.certops.app.settings;

import dev.certops.acme.dns.DnsRouting;
import dev.certops.acme.dns.DnsTest;
import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.ConsoleWords;
import dev.certops.app.common.UserMessages;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ChallengeConfig;
import dev.certops.config.HostConfig;
import dev.certops.deploy.HostKeys;
import dev.certops.root.CompositionRoot;
import dev.certops.root.ConfigChecks;
import dev.certops.words.Words;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The settings screen: the workspace, its CAs, DNS providers, hosts and thresholds as certops.yaml
 * says; a host's SSH key is trusted only after the operator compared its fingerprint
 * ({@link #scanKey} then {@link #trust}, the same two steps as {@code certops hosts trust}).
 */
public final class SettingsViewModel {
    /** One line of a settings list: an id and what it is. */
    public record Item(String id, String description) { }

    private final CompositionRoot session;
    private final BackgroundExecutor executor;
    private final HostKeysLookup hostKeys;
    private final ObservableList<Item> cas = FXCollections.observableArrayList();
    private final ObservableList<Item> dns = FXCollections.observableArrayList();
    private final ObservableList<Item> hosts = FXCollections.observableArrayList();
    private final ObservableList<Item> checks = FXCollections.observableArrayList();
    private final StringProperty workspace = new SimpleStringProperty("");
    private final StringProperty thresholds = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty details = new SimpleStringProperty("");
    private CertopsConfig config;

    /** How a host's keys are read and trusted; empty for a host reached without SSH; throws when no connector can reach it. */
    @FunctionalInterface
    public interface HostKeysLookup { Optional<HostKeys> of(HostConfig host) throws Exception; }

    public SettingsViewModel(CompositionRoot session, BackgroundExecutor executor, HostKeysLookup hostKeys) {
        this.session = session;
        this.executor = executor;
        this.hostKeys = hostKeys;
    }

    public ObservableList<Item> cas() { return cas; }
    public ObservableList<Item> dns() { return dns; }
    public ObservableList<Item> hosts() { return hosts; }
    /** What certops.yaml points at that cannot be used (or is a note), as {@code certops config check} lists it. */
    public ObservableList<Item> checks() { return checks; }
    public StringProperty workspaceProperty() { return workspace; }
    public StringProperty thresholdsProperty() { return thresholds; }
    public StringProperty messageProperty() { return message; }
    public StringProperty detailsProperty() { return details; }

    /** Re-reads certops.yaml (after it was edited in the system editor). */
    public void reload() { load(true); }

    /** Shows the configuration the session already holds (opening the screen re-reads nothing). */
    public void open() { load(false); }

    private void load(boolean fresh) {
        workspace.set(session.workspace().root() + "  (configuration: " + session.workspace().configFile() + ")");
        try {
            config = fresh ? session.reloadConfig() : session.config();
        } catch (Exception e) {
            message.set("certops.yaml has an error: " + UserMessages.headline(e) + " — fix it in the editor, then Reload.");
            return;
        }
        cas.setAll(config.cas().stream().map(c -> new Item(c.id(), c.directory() + c.staging().map(s -> "  (staging " + s + ")").orElse(""))).toList());
        dns.setAll(config.dns().stream().map(d -> new Item(d.id(), d.type())).toList());
        hosts.setAll(config.hosts().stream().map(h -> new Item(h.id(), (h.isLocal() ? "this machine" : h.user() + "@" + h.address() + ":" + h.port())
                + " · " + h.service() + " · " + h.certDir() + (h.drill() ? " · drill" : ""))).toList());
        var t = config.thresholds();
        thresholds.set("warning at " + t.warning().toDays() + " days left, critical at " + t.critical().toDays() + ", emergency at " + t.emergency().toDays());
        message.set(Words.count(config.certificates().size(), "certificate") + ", " + Words.count(config.hosts().size(), "host") + ", " + Words.count(config.cas().size(), "CA") + ".");
        check();
    }

    /** Checks trust files, SSH identities and known_hosts, secret references — off the UI thread. */
    private void check() {
        CertopsConfig cfg = config;
        executor.run("Checking what certops.yaml points at", () -> ConfigChecks.check(cfg, session.workspace(), session.secrets()),
                problems -> checks.setAll(problems.stream().map(p -> new Item(p.where(), ConsoleWords.of((p.blocking() ? "✘ " : "note: ") + p.what() + " — " + p.next()))).toList()),
                this::failed);
    }

    /** Reads the key a host presents now (nothing is trusted yet); {@code onKey} shows it for comparison. */
    public void scanKey(String hostId, Consumer<HostKeys.HostKeyInfo> onKey) {
        Optional<HostConfig> host = host(hostId);
        if (host.isEmpty()) return;
        Optional<HostKeys> keys;
        try {
            keys = hostKeys.of(host.get());
        } catch (Exception e) {
            failed(e);
            return;
        }
        if (keys.isEmpty()) {
            message.set(hostId + " is reached without SSH (" + host.get().address() + "): there is no host key to trust.");
            return;
        }
        message.set("Reading " + hostId + "'s SSH host key…");
        executor.run("Reading " + hostId + "'s host key", () -> keys.get().scan(host.get()), k -> {
            switch (k.listed()) {
                case TRUSTED -> {
                    message.set(hostId + "'s key " + k.fingerprint() + " is already trusted (listed in " + k.knownHostsFile() + "): nothing to do.");
                    return;
                }
                case CHANGED -> message.set(hostId + "'s SSH host key has CHANGED: certops refuses to connect to " + hostId
                        + " until the old key is removed from " + k.knownHostsFile() + ". Ask the host's administrator first.");
                case NOT_LISTED -> message.set(hostId + " presents " + k.type() + " " + k.fingerprint() + ". Compare it before trusting.");
            }
            onKey.accept(k);
        }, this::failed);
    }

    /** The file on the host whose fingerprint the administrator reads ({@code ssh-keygen -lf FILE}), by key type. */
    public static String hostKeyFile(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        String kind = t.contains("ed25519") ? "ed25519" : t.contains("rsa") ? "rsa" : t.contains("ecdsa") ? "ecdsa" : "*";
        return "/etc/ssh/ssh_host_" + kind + "_key.pub";
    }

    /** What the trust dialog says about a key certops has not seen before: where it comes from, how to compare, what trusting does. */
    public static String trustQuestion(String hostId, HostKeys.HostKeyInfo k) {
        return hostId + " (" + k.knownHostsName() + ") presents a key certops has not seen before. Ask the host's administrator to read "
                + "its fingerprint on the host itself (ssh-keygen -lf " + hostKeyFile(k.type()) + ") and compare every character with the one below. "
                + "Trust it only if they are identical: a different key can mean someone is between you and " + hostId + ".";
    }

    /** What trusting changes, and how it is taken back. */
    public static String trustEffect(String hostId, HostKeys.HostKeyInfo k) {
        return "Trust this key adds one line for " + k.knownHostsName() + " to " + k.knownHostsFile() + "; from then on certops connects to "
                + hostId + " only while it presents this key. To take it back, delete that line.";
    }

    /** Why a changed key is refused, and what to do: the console never replaces a listed key. */
    public static String changedKeyRefusal(String hostId, HostKeys.HostKeyInfo k) {
        return hostId + " now presents a different key (below) from the one listed for " + k.knownHostsName() + " in " + k.knownHostsFile() + ". "
                + "Either " + hostId + " was reinstalled or given a new key, or someone is intercepting the connection. Until this is settled, "
                + "every deploy, rollback and check on " + hostId + " is refused before anything is sent. Nothing was changed.";
    }

    /** The steps after a refused changed key. */
    public static String changedKeySteps(String hostId, HostKeys.HostKeyInfo k) {
        return "1. Ask " + hostId + "'s administrator whether its key was changed, and to read the fingerprint on the host (ssh-keygen -lf "
                + hostKeyFile(k.type()) + ").\n"
                + "2. If it is identical to the one below: delete the line for " + k.knownHostsName() + " from " + k.knownHostsFile()
                + ", then press Check and trust the SSH host key again.\n"
                + "3. If it differs, or nobody knows of a change: do not deploy to " + hostId + "; treat it as a security incident.";
    }

    /** Trusts a key the operator compared and confirmed; refused (with the reason) when another key is listed. */
    public void trust(String hostId, HostKeys.HostKeyInfo key) {
        Optional<HostConfig> host = host(hostId);
        if (host.isEmpty()) return;
        executor.run("Trusting " + hostId + "'s host key", () -> {
            hostKeys.of(host.get()).orElseThrow().trust(host.get(), key);
            return key;
        }, k -> {
            message.set(hostId + "'s key " + k.fingerprint() + " is trusted (" + k.knownHostsName() + " added to known_hosts).");
            check();
        }, this::failed);
    }

    /** The name {@link #testDns} suggests for a provider: the first name of the first certificate that uses it, else empty. */
    public String suggestedDnsName(String providerId) {
        if (config == null) return "";
        return config.certificates().stream().filter(c -> c.challenge().flatMap(ChallengeConfig::dns).filter(providerId::equals).isPresent())
                .map(c -> c.names().get(0).replaceFirst("^\\*\\.", "")).findFirst().orElse("");
    }

    /**
     * The same as {@code certops dns test PROVIDER --name NAME}, off the UI thread: publishes a random TXT
     * where NAME's DNS-01 record goes, sees it on every authoritative server, removes it. The outcome is
     * the message, in words; each step with its time is in the details.
     */
    public void testDns(String providerId, String name) {
        CertopsConfig cfg = config;
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (cfg == null || cfg.dnsProvider(providerId).isEmpty()) {
            message.set("No DNS provider '" + providerId + "' in certops.yaml — Reload if you just added it.");
            return;
        }
        if (n.isEmpty()) {
            message.set("Give a name to test with, e.g. www.example.com: certops publishes a TXT record at _acme-challenge.NAME and removes it.");
            return;
        }
        message.set("Testing DNS provider '" + providerId + "' with " + n + "…");
        details.set("");
        executor.run("Testing DNS provider " + providerId, () -> new DnsTest(DnsRouting.of(cfg, providerId, session.secrets(), session.clock()),
                session.clock()).run(providerId, n), report -> {
                    message.set(report.summary());
                    details.set(String.join("\n", report.steps().stream().map(DnsTest.Step::toString).toList()));
                }, this::failed);
    }

    private Optional<HostConfig> host(String id) {
        Optional<HostConfig> h = config == null ? Optional.empty() : config.hosts().stream().filter(x -> x.id().equals(id)).findFirst();
        if (h.isEmpty()) message.set("No host '" + id + "' in certops.yaml — Reload if you just added it.");
        return h;
    }

    private void failed(Throwable t) {
        message.set(UserMessages.headline(t));
        details.set(UserMessages.details(t));
    }
}
