package dev.certops.deploy;

import dev.certops.config.HostConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code certops hosts check}: can certops deploy to this host? Connects (host key checked),
 * looks at certDir (writable, live link) and runs the service's config test. Changes nothing.
 */
public final class HostCheck {
    private HostCheck() { }

    /** One checked item. */
    public record Line(String what, boolean ok, String detail) { }

    public static List<Line> run(HostConnectors connectors, HostConfig host, Duration timeout) {
        List<Line> out = new ArrayList<>();
        RemotePaths paths;
        try {
            paths = RemotePaths.forHost(host);
        } catch (DeployException e) {
            out.add(new Line("configuration", false, e.getMessage()));
            return out;
        }
        try (HostChannel ch = connectors.open(host)) {
            out.add(new Line("connect", true, host.isLocal() ? "this machine" : host.user() + "@" + host.address() + ":" + host.port() + ", host key matches known_hosts"));
            String script = "d=\"$1\"; while [ ! -e \"$d\" ]; do d=$(dirname -- \"$d\"); done; "
                    + "if [ -d \"$d\" ] && [ -w \"$d\" ]; then echo \"$d\"; else echo \"$d\"; exit 1; fi";
            ExecResult w = ch.exec(List.of("sh", "-c", script, "certops-check", paths.certDir()), timeout);
            out.add(new Line("certDir", w.ok(), w.ok() ? paths.certDir() + " writable (nearest existing folder: " + w.stdout() + ")"
                    : w.stdout() + " is not writable by " + host.user() + " — create " + paths.certDir() + " and give " + host.user() + " write access"));
            try {
                Optional<String> live = new ReleaseOps(ch, paths, timeout).liveRelease();
                out.add(new Line("live", true, live.map(l -> paths.live() + " -> releases/" + l).orElse("no release yet (the first deploy creates " + paths.live() + ")")));
            } catch (DeployException e) {
                out.add(new Line("live", false, e.getMessage()));
            }
            ExecResult t = ch.execConfigured(host.testCommand(), timeout);
            out.add(new Line("config test", t.ok(), "'" + host.testCommand() + "' exit " + t.exitCode() + (t.output().isEmpty() ? "" : ": " + t.output())));
        } catch (DeployException e) {
            out.add(new Line(e.step() == null ? "connect" : e.step(), false, e.getMessage()));
        }
        return out;
    }
}
