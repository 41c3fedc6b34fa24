package dev.certops.lease;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which machine (and boot) this console runs on, so a process id is only ever judged on the machine
 * that issued it: Linux's {@code /proc/sys/kernel/random/boot_id}, random per boot and so different
 * on cloned VMs that share a host name and even {@code /etc/machine-id}. Empty where the system has
 * none: then leases on a shared history are judged by expiry only.
 */
final class MachineIdentity {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private MachineIdentity() { }

    static Optional<String> current() {
        try {
            String id = Files.readString(BOOT_ID).trim();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
