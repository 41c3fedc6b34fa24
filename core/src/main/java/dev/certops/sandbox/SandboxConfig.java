package dev.certops.sandbox;

import java.nio.file.Path;
import java.util.Map;

/** The sandbox workspace's certops.yaml: every capability wired to the local components. */
final class SandboxConfig {
    private SandboxConfig() { }

    static String render(int dns, int dnsMgmt, Map<String, Integer> caPorts, Path trust, Path estateRoots, int ssh, String user, Path hosts, Path webroot,
                         String test, String reload, Map<String, Integer> tls) {
        StringBuilder b = new StringBuilder("""
                # certops sandbox: everything here runs on this machine and is thrown away by `certops sandbox down`.
                resolvers: ["127.0.0.1:%d"]
                # roots the estate scan trusts besides Java's: the legacy CA and the roots both Pebbles issue under
                trust: [%s]
                cas:
                """.formatted(dns, estateRoots));
        for (var ca : caPorts.entrySet()) {
            b.append("""
                      - id: %s
                        directory: https://127.0.0.1:%d/dir
                        staging: https://127.0.0.1:%d/dir
                        trust: %s
                        contact: mailto:oncall@sandbox.test
                        agreeToTerms: true
                        caaIdentity: %s.sandbox.test
                        limits: letsencrypt
                    """.formatted(ca.getKey(), ca.getValue(), ca.getValue(), trust, ca.getKey()));
        }
        b.append("dns:\n  - { id: lab, type: challtestsrv, url: \"http://127.0.0.1:").append(dnsMgmt).append("\" }\nhosts:\n");
        String[] ids = {"web1", "web2", "web3"};
        for (String id : ids) {
            b.append("  - id: ").append(id).append("\n    drill: ").append(id.equals("web1")).append("\n    address: 127.0.0.1\n    port: ").append(ssh)
                    .append("\n    user: ").append(user).append("\n    identity: ssh/id_ed25519\n    knownHosts: ssh/known_hosts\n    service: nginx\n")
                    .append("    test: \"").append(test).append("\"\n    reload: \"").append(reload).append("\"\n    certDir: ").append(hosts.resolve(id))
                    .append("\n    webroot: ").append(webroot).append('\n');
        }
        b.append("certificates:\n");
        String[][] certs = {{"healthy", "web1"}, {"api", "web2"}, {"shop", "web3"}};
        for (String[] c : certs) {
            b.append("  - id: ").append(c[0]).append("\n    names: [").append(c[0]).append(".sandbox.test]\n    challenge: { type: dns-01, dns: lab }\n")
                    .append("    cas: [primary, secondary]\n    deploy: { waves: [[").append(c[1]).append("]] }\n")
                    .append("    endpoints: [{ host: 127.0.0.1, port: ").append(tls.get(c[0])).append(", sni: ").append(c[0]).append(".sandbox.test }]\n");
        }
        return b.toString();
    }
}
