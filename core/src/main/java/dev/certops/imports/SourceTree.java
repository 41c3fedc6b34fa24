package dev.certops.imports;

import dev.certops.deploy.DeployException;
import dev.certops.deploy.HostChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where another tool's files are read from: this machine, or a host through its deploy channel
 * (the same SSH session deploys use — core never opens SSH itself). Read-only.
 */
public interface SourceTree {
    /** A file's text, or empty when it does not exist. */
    Optional<String> read(String path) throws IOException;

    /** The names in a folder (empty when it does not exist). */
    List<String> list(String dir) throws IOException;

    /** Where the files are, for messages ("this machine", "host web1"). */
    String where();

    static SourceTree local() {
        return new SourceTree() {
            @Override
            public Optional<String> read(String path) throws IOException {
                if (!Files.isRegularFile(Path.of(path))) return Optional.empty(); // absent, or a folder, or under a plain file
                try {
                    return Optional.of(Files.readString(Path.of(path), StandardCharsets.UTF_8));
                } catch (NoSuchFileException e) {
                    return Optional.empty();
                }
            }

            @Override
            public List<String> list(String dir) throws IOException {
                if (!Files.isDirectory(Path.of(dir))) return List.of();
                try (Stream<Path> s = Files.list(Path.of(dir))) {
                    return s.map(p -> p.getFileName().toString()).sorted().toList();
                }
            }

            @Override public String where() { return "this machine"; }
        };
    }

    static SourceTree over(HostChannel ch) {
        return new SourceTree() {
            @Override
            public Optional<String> read(String path) throws IOException {
                try {
                    return ch.read(path).map(b -> new String(b, StandardCharsets.UTF_8));
                } catch (DeployException e) {
                    throw new IOException("cannot read " + path + " on host " + ch.hostId() + ": " + e.getMessage(), e);
                }
            }

            @Override
            public List<String> list(String dir) throws IOException {
                try {
                    return new ArrayList<>(ch.list(dir)).stream().sorted().toList();
                } catch (DeployException e) {
                    throw new IOException("cannot list " + dir + " on host " + ch.hostId() + ": " + e.getMessage(), e);
                }
            }

            @Override public String where() { return "host " + ch.hostId(); }
        };
    }
}
