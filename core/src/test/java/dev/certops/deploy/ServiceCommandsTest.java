package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.HostConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which config test and reload a preset runs, from what the host has (facts as the probe script prints them). */
class ServiceCommandsTest {
    private static HostConfig host(String service, Optional<String> test, Optional<String> reload) {
        return new HostConfig("web1", false, "10.0.0.5", 22, "deploy", Optional.empty(), Optional.empty(), Optional.empty(), service,
                test, reload, "/etc/ssl/certops", Optional.empty(), 5);
    }

    private static ServiceCommands.Commands on(String service, String probeOutput) {
        return ServiceCommands.resolve(host(service, Optional.empty(), Optional.empty()), ServiceCommands.parse(probeOutput));
    }

    @Test
    void nginxUnderSystemdTestsTheConfigTheRunningMasterWasStartedWith() {
        ServiceCommands.Commands c = on("nginx", "init=systemd\nhas=systemctl\nhas=nginx\nps=nginx: master process /usr/sbin/nginx -c /srv/web/nginx.conf -g daemon on;\n");
        assertThat(c).isEqualTo(new ServiceCommands.Commands("nginx -c /srv/web/nginx.conf -t", "systemctl reload nginx"));
    }

    @Test
    void nginxWithoutAnInitSystemIsSignalledThroughItsOwnBinary() {
        assertThat(on("nginx", "has=nginx\n")).isEqualTo(new ServiceCommands.Commands("nginx -t", "nginx -s reload"));
    }

    @Test
    void apacheOnDebianUsesApache2AndOnRhelHttpd() {
        assertThat(on("apache", "init=systemd\nhas=systemctl\nhas=apache2\nhas=apache2ctl\n"))
                .isEqualTo(new ServiceCommands.Commands("apache2ctl configtest", "systemctl reload apache2"));
        assertThat(on("apache", "init=systemd\nhas=systemctl\nhas=httpd\nhas=apachectl\n"))
                .isEqualTo(new ServiceCommands.Commands("apachectl configtest", "systemctl reload httpd"));
    }

    @Test
    void apacheWithoutSystemdUsesServiceOrRcService() {
        assertThat(on("apache", "has=service\nhas=httpd\n").reload()).isEqualTo("service httpd reload");
        assertThat(on("apache", "has=rc-service\nhas=apache2\n").reload()).isEqualTo("rc-service apache2 reload");
        assertThat(on("apache", "has=systemctl\nhas=service\nhas=apache2\n").reload()).as("systemctl installed but systemd not running")
                .isEqualTo("service apache2 reload");
    }

    @Test
    void apacheStartedWithItsOwnConfigIsTestedAndReloadedWithThatConfig() {
        assertThat(on("apache", "init=systemd\nhas=systemctl\nhas=apache2\nps=/usr/sbin/apache2 -d /srv/a -f /srv/a/httpd.conf -k start\n"))
                .isEqualTo(new ServiceCommands.Commands("apache2 -d /srv/a -f /srv/a/httpd.conf -t", "apache2 -d /srv/a -f /srv/a/httpd.conf -k graceful"));
    }

    @Test
    void haproxyStartedByHandIsReloadedKeepingConnectionsWithSf() {
        ServiceCommands.Commands c = on("haproxy", "has=service\nhas=haproxy\nps=haproxy -D -p /srv/h/haproxy.pid -f /srv/h/haproxy.cfg\n");
        assertThat(c.test()).isEqualTo("haproxy -c -q -f /srv/h/haproxy.cfg");
        assertThat(c.reload()).isEqualTo("haproxy -D -p /srv/h/haproxy.pid -f /srv/h/haproxy.cfg -sf $(cat /srv/h/haproxy.pid)");
    }

    @Test
    void haproxyInMasterWorkerModeUnderSystemdIsReloadedBySystemd() {
        ServiceCommands.Commands c = on("haproxy", "init=systemd\nhas=systemctl\nhas=haproxy\nps=/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid -S /run/haproxy-master.sock\n");
        assertThat(c).isEqualTo(new ServiceCommands.Commands("haproxy -c -q -f /etc/haproxy/haproxy.cfg", "systemctl reload haproxy"));
    }

    @Test
    void postfixAndDovecotReloadThemselvesWithoutSystemd() {
        assertThat(on("postfix", "has=postfix\n")).isEqualTo(new ServiceCommands.Commands("postfix check", "postfix reload"));
        assertThat(on("postfix", "init=systemd\nhas=systemctl\n").reload()).isEqualTo("systemctl reload postfix");
        assertThat(on("dovecot", "has=doveadm\nps=/usr/sbin/dovecot -F -c /srv/d/dovecot.conf\nps=dovecot/imap-login\n"))
                .isEqualTo(new ServiceCommands.Commands("doveconf -c /srv/d/dovecot.conf -n", "doveadm -c /srv/d/dovecot.conf reload"));
    }

    @Test
    void aConfigPathWithShellCharactersIsQuoted() {
        assertThat(on("nginx", "has=nginx\nps=nginx: master process nginx -c /srv/x;rm/nginx.conf\n").test()).isEqualTo("nginx -c '/srv/x;rm/nginx.conf' -t");
    }

    @Test
    void theHostsOwnTestAndReloadWin() {
        HostConfig h = host("apache", Optional.of("apache2 -t -f /x"), Optional.empty());
        assertThat(ServiceCommands.resolve(h, new ServiceCommands.Facts("systemd", Set.of("apache2"), List.of())))
                .isEqualTo(new ServiceCommands.Commands("apache2 -t -f /x", "systemctl reload apache2"));
    }

    @Test
    void theFactsAreReadOnceForEveryHostEntryOfOneAddress() throws Exception {
        List<String> sent = new java.util.ArrayList<>();
        try (HostChannel local = new LocalHostChannel("web1")) {
            HostChannel counting = new Counting(local, sent);
            ServiceCommands.Cache cache = new ServiceCommands.Cache();
            ServiceCommands.Commands nginx = cache.commands(counting, host("nginx", Optional.empty(), Optional.empty()), java.time.Duration.ofSeconds(5));
            ServiceCommands.Commands postfix = cache.commands(counting, host("postfix", Optional.empty(), Optional.empty()), java.time.Duration.ofSeconds(5));
            assertThat(nginx.test()).startsWith("nginx");
            assertThat(postfix.test()).isEqualTo("postfix check");
        }
        assertThat(sent).containsExactly("sh");
    }

    /** This machine, with every exec's program noted. */
    private record Counting(HostChannel local, List<String> sent) implements HostChannel {
        @Override public String hostId() { return local.hostId(); }
        @Override public ExecResult exec(List<String> argv, java.time.Duration t) throws DeployException { sent.add(argv.get(0)); return local.exec(argv, t); }
        @Override public ExecResult execConfigured(String c, java.time.Duration t) throws DeployException { sent.add(c); return local.execConfigured(c, t); }
        @Override public Optional<byte[]> read(String path) throws DeployException { return local.read(path); }
        @Override public void write(String path, byte[] content, int mode) throws DeployException { local.write(path, content, mode); }
        @Override public void delete(String path) throws DeployException { local.delete(path); }
        @Override public void mkdirs(String path, int mode) throws DeployException { local.mkdirs(path, mode); }
        @Override public List<String> list(String dir) throws DeployException { return local.list(dir); }
        @Override public Optional<String> readLink(String path) throws DeployException { return local.readLink(path); }
        @Override public void close() { }
    }
}
