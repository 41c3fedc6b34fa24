package dev.certops.team;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.certops.identity.IdentityException;
import dev.certops.identity.SshPublicKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code team/allowed_signers}: OpenSSH's allowed_signers format ({@code principals [options] key}),
 * one signer a line, with a {@code roles="operator,approver"} option certops reads:
 * <pre>
 * alice@example.com roles="operator,approver" ssh-ed25519 AAAA… alice's laptop
 * </pre>
 * Other OpenSSH options ({@code namespaces=}, {@code valid-after=}, {@code valid-before=}) are kept
 * for {@link #forSshKeygen()}; {@code cert-authority} lines are refused (certops checks plain keys).
 */
public final class AllowedSigners {
    /** Where the file lives in a workspace. */
    public static final String FILE = "team/allowed_signers";

    /** One line: who, with which roles, by which key. */
    public record Signer(List<String> principals, Set<Role> roles, SshPublicKey key, String sshOptions, int line) {
        public String principal() { return principals.get(0); }
        public boolean has(Role r) { return roles.contains(r); }
    }

    private final String text;
    private final List<Signer> signers;
    private final String sha256;

    private AllowedSigners(String text, List<Signer> signers) {
        this.text = text;
        this.signers = List.copyOf(signers);
        this.sha256 = sha256(text);
    }

    /** Parses the file's text; {@code where} names it in errors (file and line). */
    public static AllowedSigners parse(String text, String where) throws TeamException {
        List<Signer> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String at = where + " line " + (i + 1);
            List<String> tokens = tokens(line, at);
            if (tokens.size() < 3) {
                throw new TeamException(at + ": expected 'principal roles=\"…\" ssh-ed25519 AAAA…', e.g. alice@example.com "
                        + "roles=\"operator,approver\" ssh-ed25519 AAAA… (the key as in the person's .pub file)");
            }
            List<String> principals = List.of(unquote(tokens.get(0)).split(","));
            int k = 1;
            String options = "";
            if (!SshPublicKey.TYPES.contains(tokens.get(1))) {
                options = tokens.get(1);
                k = 2;
            }
            if (tokens.size() < k + 2) throw new TeamException(at + ": the key is missing after the principal and options");
            SshPublicKey key;
            try {
                key = SshPublicKey.parse(String.join(" ", tokens.subList(k, tokens.size())));
            } catch (IdentityException e) {
                throw new TeamException(at + ": " + e.getMessage());
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            List<String> keep = new ArrayList<>();
            for (String opt : splitOptions(options)) {
                String name = opt.contains("=") ? opt.substring(0, opt.indexOf('=')) : opt;
                if (name.equalsIgnoreCase("roles")) {
                    for (String r : unquote(opt.substring(opt.indexOf('=') + 1)).split(",")) {
                        if (r.isBlank()) continue;
                        roles.add(Role.of(r).orElseThrow(() -> new TeamException(at + ": unknown role '" + r.strip()
                                + "' — allowed: viewer, operator, approver, revoker, admin")));
                    }
                } else if (name.equalsIgnoreCase("cert-authority")) {
                    throw new TeamException(at + ": cert-authority lines are not supported; list each person's own key");
                } else {
                    keep.add(opt);
                }
            }
            if (roles.isEmpty()) {
                throw new TeamException(at + ": " + principals.get(0) + " has no roles — add roles=\"viewer\" (or operator, approver, "
                        + "revoker, admin) before the key");
            }
            out.add(new Signer(principals, Set.copyOf(roles), key, String.join(",", keep), i + 1));
        }
        return new AllowedSigners(text, out);
    }

    public List<Signer> signers() { return signers; }
    /** The file's text as read (recorded in history when an admin records it). */
    public String text() { return text; }
    /** Hex SHA-256 of the text: which version of the file is in force. */
    public String sha256() { return sha256; }

    /** The line for {@code key}, if it is listed. */
    public Optional<Signer> find(SshPublicKey key) {
        return signers.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /** The same signers without the roles option: a file {@code ssh-keygen -Y verify -f} reads. */
    public String forSshKeygen() {
        StringBuilder sb = new StringBuilder();
        for (Signer s : signers) {
            sb.append(String.join(",", s.principals())).append(' ');
            if (!s.sshOptions().isEmpty()) sb.append(s.sshOptions()).append(' ');
            sb.append(s.key().openSsh()).append('\n');
        }
        return sb.toString();
    }

    /** Whitespace-separated tokens; double quotes keep spaces and commas inside one token. */
    private static List<String> tokens(String line, String at) throws TeamException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') quoted = !quoted;
            if (!quoted && Character.isWhitespace(c)) {
                if (cur.length() > 0) out.add(cur.toString());
                cur.setLength(0);
                // the comment after the key is kept whole
                if (out.size() >= 2 && SshPublicKey.TYPES.contains(out.get(out.size() - 2)) && i + 1 < line.length()) {
                    out.add(line.substring(i + 1).strip());
                    return out;
                }
            } else {
                cur.append(c);
            }
        }
        if (quoted) throw new TeamException(at + ": a double quote is not closed");
        if (cur.length() > 0) out.add(cur.toString());
        return out;
    }

    private static List<String> splitOptions(String options) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : options.toCharArray()) {
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) out.add(cur.toString());
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }
}
