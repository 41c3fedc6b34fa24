package dev.certops.sshdeploy.connection;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;

/**
 * Wraps known_hosts for one connection: answers from the file (hashed entries and [host]:port
 * understood by JSch's KnownHosts), remembers what the server presented, and never adds a key.
 * With {@code acceptNothing} every key is unknown: used to read a host's key for {@code hosts trust}.
 */
final class RecordingHostKeys implements HostKeyRepository {
    private final HostKeyRepository file;
    private final boolean acceptNothing;
    private volatile PresentedKey presented;
    private volatile int result = NOT_INCLUDED;

    RecordingHostKeys(HostKeyRepository file, boolean acceptNothing) {
        this.file = file;
        this.acceptNothing = acceptNothing;
    }

    PresentedKey presented() { return presented; }
    int result() { return result; }

    @Override
    public int check(String host, byte[] key) {
        presented = new PresentedKey(host, key);
        result = acceptNothing ? NOT_INCLUDED : file.check(host, key);
        return result;
    }

    @Override public void add(HostKey hostkey, UserInfo ui) { /* strict: keys are added only by `certops hosts trust` */ }
    @Override public void remove(String host, String type) { /* never */ }
    @Override public void remove(String host, String type, byte[] key) { /* never */ }
    @Override public String getKnownHostsRepositoryID() { return file.getKnownHostsRepositoryID(); }
    @Override public HostKey[] getHostKey() { return file.getHostKey(); }
    @Override public HostKey[] getHostKey(String host, String type) { return acceptNothing ? new HostKey[0] : file.getHostKey(host, type); }
}
