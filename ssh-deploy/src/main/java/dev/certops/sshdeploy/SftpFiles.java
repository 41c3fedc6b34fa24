package dev.certops.sshdeploy;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.SftpStatVFS;
import dev.certops.config.SafeNames;
import dev.certops.deploy.DeployException;
import dev.certops.sshdeploy.connection.SshConnection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * File operations over one SFTP channel of the session (OpenSSH's internal-sftp: no remote shell
 * is started, so file steps cost a round trip, not a login shell). JSch expands {@code * ? [ \} in
 * some paths: such paths are refused (validated paths never contain them).
 */
final class SftpFiles {
    private final SshConnection connection;
    private ChannelSftp sftp;

    SftpFiles(SshConnection connection) { this.connection = connection; }

    /** False once the SFTP channel this opened has closed under it (true before one is opened). */
    boolean channelUp() { return sftp == null || (sftp.isConnected() && !sftp.isClosed()); }

    private ChannelSftp channel() throws DeployException {
        if (sftp != null && sftp.isConnected()) return sftp;
        try {
            ChannelSftp c = (ChannelSftp) connection.session().openChannel("sftp");
            c.connect(10_000);
            sftp = c;
            return c;
        } catch (JSchException e) {
            if (!connection.isConnected()) throw dropped("opening the file channel", e);
            throw new DeployException(connection.hostId(), "ssh", "cannot open an SFTP channel: " + e.getMessage(),
                    "enable the sftp subsystem in the host's sshd_config (Subsystem sftp internal-sftp)", false, e);
        }
    }

    Optional<byte[]> read(String path) throws DeployException {
        check(path);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            channel().get(path, out);
            return Optional.of(out.toByteArray());
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) return Optional.empty();
            throw failed("read", path, e);
        }
    }

    /** Empty file first, mode set, then the content, then renamed over {@code path}: the key is never readable by others. */
    void write(String path, byte[] content, int mode) throws DeployException {
        check(path);
        int slash = path.lastIndexOf('/');
        String tmp = path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".certops-tmp";
        ChannelSftp c = channel();
        try {
            c.put(new ByteArrayInputStream(new byte[0]), tmp, ChannelSftp.OVERWRITE);
            c.chmod(mode, tmp);
            c.put(new ByteArrayInputStream(content), tmp, ChannelSftp.OVERWRITE);
            c.rename(tmp, path);
        } catch (SftpException e) {
            try { c.rm(tmp); } catch (SftpException ignored) { /* best effort */ }
            throw failed("write", path, e);
        }
    }

    void delete(String path) throws DeployException {
        check(path);
        Optional<SftpATTRS> a = lstat(path);
        if (a.isEmpty()) return;
        try {
            if (a.get().isDir()) channel().rmdir(path);
            else channel().rm(path);
        } catch (SftpException e) {
            if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) throw failed("delete", path, e);
        }
    }

    void mkdirs(String path, int mode) throws DeployException {
        check(path);
        StringBuilder p = new StringBuilder();
        for (String seg : path.substring(1).split("/")) {
            p.append('/').append(seg);
            String dir = p.toString();
            Optional<SftpATTRS> a = lstat(dir);
            if (a.isPresent()) {
                if (!a.get().isDir() && !a.get().isLink()) throw new DeployException(connection.hostId(), "mkdir", dir + " exists and is not a folder", "move it away");
                continue;
            }
            try {
                channel().mkdir(dir);
                if (dir.length() == path.length()) channel().chmod(mode, dir);
            } catch (SftpException e) {
                throw failed("mkdir", dir, e);
            }
        }
    }

    List<String> list(String dir) throws DeployException {
        check(dir);
        List<String> names = new ArrayList<>();
        try {
            for (ChannelSftp.LsEntry e : channel().ls(dir)) {
                if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) names.add(e.getFilename());
            }
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) return List.of();
            throw failed("list", dir, e);
        }
        names.sort(null);
        return names;
    }

    Optional<String> readLink(String path) throws DeployException {
        check(path);
        Optional<SftpATTRS> a = lstat(path);
        if (a.isEmpty() || !a.get().isLink()) return Optional.empty();
        try {
            return Optional.of(channel().readlink(path));
        } catch (SftpException e) {
            throw failed("readlink", path, e);
        }
    }

    /** A new link beside {@code link}, renamed over it (posix-rename@openssh.com: rename(2), atomic). */
    void replaceLink(String target, String link) throws DeployException {
        check(link);
        String tmp = link + ".tmp";
        delete(tmp);
        try {
            channel().symlink(target, tmp);
            channel().rename(tmp, link);
        } catch (SftpException e) {
            throw failed("swap", link, e);
        }
    }

    void close() {
        if (sftp != null) sftp.disconnect();
    }

    private Optional<SftpATTRS> lstat(String path) throws DeployException {
        try {
            return Optional.of(channel().lstat(path));
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) return Optional.empty();
            throw failed("stat", path, e);
        }
    }

    private void check(String path) throws DeployException {
        if (!path.startsWith("/") || path.matches(".*[*?\\[\\\\\\n].*")) {
            throw new DeployException(connection.hostId(), "validate", "'" + SafeNames.printable(path) + "' is not a plain absolute path",
                    "paths may not contain * ? [ \\ or newlines");
        }
    }

    private DeployException failed(String op, String path, SftpException e) {
        if (!connection.isConnected() || !channelUp()) return dropped(op + " " + path, e);
        if (e.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
            return new DeployException(connection.hostId(), op, path + ": permission denied", "check the path and its permissions on the host");
        }
        if (e.id == ChannelSftp.SSH_FX_FAILURE || e.id == SSH_FX_NO_SPACE_ON_FILESYSTEM || e.id == SSH_FX_QUOTA_EXCEEDED) {
            Optional<String> full = full(path);
            if (full.isPresent()) {
                return new DeployException(connection.hostId(), op, full.get() + ": " + path + " could not be written",
                        "free space on the host (df -h " + parent(path) + "), then deploy again; the partial release is removed by certops", false, e);
            }
        }
        String what = e.id == ChannelSftp.SSH_FX_FAILURE ? "the host's SFTP server refused it without saying why (SSH_FX_FAILURE)" : e.getMessage();
        return new DeployException(connection.hostId(), op, path + ": " + what,
                "look on the host: is the disk full or read-only (df -h, mount), the path writable by " + connection.hostId() + "'s user?");
    }

    /** SFTP v6 status codes some servers send for a full disk or quota (OpenSSH sends SSH_FX_FAILURE). */
    private static final int SSH_FX_NO_SPACE_ON_FILESYSTEM = 14;
    private static final int SSH_FX_QUOTA_EXCEEDED = 15;
    /** Below this much free space (or without a free inode) the disk is reported full. */
    private static final long FULL_BELOW_BYTES = 64 * 1024;

    /**
     * Whether the file system holding {@code path} is full, asked of the host's SFTP server (statvfs@openssh.com on
     * the nearest existing folder); empty when it has room or cannot tell.
     */
    private Optional<String> full(String path) {
        for (String dir = parent(path); !dir.isEmpty(); dir = parent(dir)) {
            try {
                SftpStatVFS v = channel().statVFS(dir);
                long free = v.getAvailBlocks() * v.getFragmentSize();
                if (free < FULL_BELOW_BYTES) return Optional.of("the host's disk holding " + dir + " is full (" + free / 1024 + " KiB free)");
                if (v.getINodes() > 0 && v.getAvailINodes() == 0) return Optional.of("the host's disk holding " + dir + " has no free inodes");
                return Optional.empty();
            } catch (SftpException | DeployException e) {
                if (e instanceof SftpException s && s.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) continue;
                return Optional.empty(); // the server does not offer statvfs, or the connection is gone: cannot tell
            }
        }
        return Optional.empty();
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? (path.length() > 1 ? "/" : "") : path.substring(0, slash);
    }

    private DeployException dropped(String what, Exception cause) { return SshHostChannel.droppedConnection(connection.hostId(), what, cause); }
}
