import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * A build step (run as a source file: {@code java app/src/build/UnsignJars.java JAR-OR-FOLDER...}, by app's and packaging's builds): rewrites each signed jar
 * without its signature files and without the manifest's per-entry digests, in place. A class from a signed jar can
 * never be in a class-data archive or an AOT cache, so Bouncy Castle's 567 provider classes were loaded and verified
 * from its jars on every issuance (docs/decisions/0017). OpenJDK does not require a JCE provider's jar to be signed.
 * A jar without signature files is left as it is.
 */
public final class UnsignJars {
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/(?:[^/]+\\.(?:SF|RSA|DSA|EC)|SIG-[^/]+)");

    /** Each argument a jar, or a folder whose jars are all looked at; one that does not exist is passed over. */
    public static void main(String[] args) throws IOException {
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (var jars = Files.newDirectoryStream(p, "*.jar")) {
                    for (Path jar : jars) unsign(jar);
                }
            } else if (Files.isRegularFile(p)) {
                unsign(p);
            }
        }
    }

    static void unsign(Path jar) throws IOException {
        Path out = jar.resolveSibling(jar.getFileName() + ".unsigned");
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            if (in.stream().noneMatch(e -> SIGNATURE.matcher(e.getName().toUpperCase(Locale.ROOT)).matches())) return;
            Manifest manifest = new Manifest();
            Manifest old = in.getManifest();
            if (old != null) manifest.getMainAttributes().putAll(old.getMainAttributes());
            try (JarOutputStream o = new JarOutputStream(Files.newOutputStream(out), manifest)) {
                for (Enumeration<JarEntry> en = in.entries(); en.hasMoreElements(); ) {
                    JarEntry e = en.nextElement();
                    String name = e.getName();
                    if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME) || SIGNATURE.matcher(name.toUpperCase(Locale.ROOT)).matches()) continue;
                    JarEntry copy = new JarEntry(name);
                    copy.setTime(e.getTime());
                    o.putNextEntry(copy);
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(o);
                    }
                    o.closeEntry();
                }
            }
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
    }
}
