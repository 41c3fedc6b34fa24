package dev.certops.sshdeploy;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import dev.certops.deploy.DeployException;
import dev.certops.sshdeploy.session.SshConnection;
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
            throw new DeployException(connection.hostId(), "validate", "'" + dev.certops.config.SafeNames.printable(path) + "' is not a plain absolute path",
                    "paths may not contain * ? [ \\ or newlines");
        }
    }

    private DeployException failed(String op, String path, SftpException e) {
        if (!connection.isConnected()) {
            return new DeployException(connection.hostId(), "ssh", "the SSH connection dropped during " + op + " " + path,
                    "check the host and the network, then deploy again (a half-uploaded release is removed on the next deploy)", false, e);
        }
        String what = e.id == ChannelSftp.SSH_FX_PERMISSION_DENIED ? "permission denied" : e.getMessage();
        return new DeployException(connection.hostId(), op, path + ": " + what, "check the path and its permissions on the host");
    }
}
