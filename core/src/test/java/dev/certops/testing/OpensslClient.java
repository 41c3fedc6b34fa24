package dev.certops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The reference verdict: {@code openssl s_client -verify_return_error -verify_hostname NAME} against a
 * loopback port, trusting the system store plus {@code caFile} (what certops' {@code trust:} adds),
 * optionally with a STARTTLS upgrade. Accepted when the handshake and the verification succeed.
 */
public final class OpensslClient {
    private OpensslClient() { }

    /** What openssl said: accepted or not, and its output (the verify error is in it). */
    public record Verdict(boolean accepted, String output) { }

    public static Verdict verify(int port, String sni, Optional<Path> caFile, Optional<String> starttls) throws IOException, InterruptedException {
        return verify(port, sni, caFile, starttls, List.of());
    }

    /** As above, with more s_client options (e.g. {@code -crl_check -CRLfile FILE}). */
    public static Verdict verify(int port, String sni, Optional<Path> caFile, Optional<String> starttls, List<String> more)
            throws IOException, InterruptedException {
        return verify("127.0.0.1", port, sni, caFile, starttls, more);
    }

    /** As above, on another loopback address ({@code 127.0.0.N}). */
    public static Verdict verify(String address, int port, String sni, Optional<Path> caFile, Optional<String> starttls, List<String> more)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", address + ":" + port, "-servername", sni,
                "-verify_return_error", "-verify_hostname", sni));
        caFile.ifPresent(f -> cmd.addAll(List.of("-CAfile", f.toString())));
        starttls.ifPresent(p -> cmd.addAll(List.of("-starttls", p)));
        cmd.addAll(more);
        Path out = Files.createTempFile("s_client", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl s_client did not finish within 20 s: " + String.join(" ", cmd));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return new Verdict(p.exitValue() == 0 && text.contains("Verify return code: 0 (ok)"), text);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
