package dev.certops.testing;

import java.util.Map;

/** Which Debian package provides a program the fixtures start, for "not installed" messages. */
final class Packages {
    private static final Map<String, String> BY_PROGRAM = Map.of(
            "pebble", "pebble", "pebble-challtestsrv", "pebble", "nginx", "nginx", "sshd", "openssh-server",
            "ssh-keygen", "openssh-client", "named", "bind9", "openssl", "openssl", "pg_ctl", "postgresql", "initdb", "postgresql", "pdns_server", "pdns-server pdns-backend-sqlite3");

    private Packages() { }

    static String hint(String program) {
        String name = program.substring(program.lastIndexOf('/') + 1);
        String pkg = BY_PROGRAM.getOrDefault(name, name);
        return "install it with `apt-get update && apt-get install -y " + pkg + "` (.ci/run does this in CI)";
    }
}
