package dev.certops.alert;

import dev.certops.config.AlertChannelConfig;
import dev.certops.words.Words;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * SMTP submission through Jakarta Mail (Eclipse Angus), with STARTTLS required unless the channel
 * says {@code starttls: optional}. The server's certificate must chain to Java's trust store or the
 * channel's {@code trust:} file ({@link SmtpTrust}) and name the host of {@code smtp:}. A plain-text mail: the subject is the alert's title, the body the
 * summary, the facts, the next command and where it came from.
 */
final class EmailChannel implements AlertChannel {
    private final AlertChannelConfig.Email config;
    private final Optional<String> password;
    private final RetryPolicy policy;
    private final RetryPolicy.Sleeper sleeper;
    private final SmtpTrust trust;

    EmailChannel(AlertChannelConfig.Email config, Optional<String> password, SmtpTrust trust, RetryPolicy policy, RetryPolicy.Sleeper sleeper) {
        this.config = config;
        this.password = password;
        this.trust = trust;
        this.policy = policy;
        this.sleeper = sleeper;
    }

    @Override public String id() { return config.id(); }
    @Override public String type() { return "email"; }

    @Override
    public int send(AlertMessage m) throws DeliveryException {
        return policy.run(sleeper, () -> once(m));
    }

    private void once(AlertMessage m) throws DeliveryException {
        String server = config.host() + ":" + config.port();
        SmtpTrust.Attempt tls;
        try {
            tls = trust.attempt();
        } catch (IOException e) {
            throw new DeliveryException(e.getMessage(), "run certops with a Java that has TLS (a full JDK or JRE)", false);
        }
        try {
            Properties p = properties();
            p.put("mail.smtp.ssl.socketFactory", tls.socketFactory());
            Session session = Session.getInstance(p);
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(new InternetAddress(config.from()));
            for (String to : config.to()) mail.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            mail.setSubject("certops " + m.title(), "UTF-8");
            mail.setSentDate(Date.from(m.time()));
            mail.setHeader("X-Certops-Key", m.key());
            mail.setText(body(m), "UTF-8");
            if (config.user().isPresent()) Transport.send(mail, config.user().get(), password.orElse(""));
            else Transport.send(mail);
        } catch (AuthenticationFailedException e) {
            throw new DeliveryException("the SMTP server " + server + " refused the login of user '" + config.user().orElse("")
                    + "'", "check the user and the password secret (" + config.password().map(Object::toString).orElse("none") + ")", false);
        } catch (SendFailedException e) {
            throw new DeliveryException("the SMTP server " + server + " refused the message: " + oneLine(e),
                    "check the from and to addresses", false);
        } catch (MessagingException e) {
            throw classify(server, e, tls);
        }
    }

    private DeliveryException classify(String server, MessagingException e, SmtpTrust.Attempt tls) {
        Throwable cause = e.getCause();
        if (tls.refusal() != SmtpTrust.Refusal.NONE) return certificate(server, tls);
        String text = oneLine(e);
        if (text.contains("STARTTLS is required")) {
            return new DeliveryException("the SMTP server " + server + " does not offer STARTTLS, and this channel requires it",
                    "use the server's submission port (587) with STARTTLS, or set starttls: optional if the link is trusted", false);
        }
        if (cause instanceof ConnectException) {
            return new DeliveryException("cannot connect to the SMTP server " + server, "is the server up, and host:port in smtp: right?", true);
        }
        if (cause instanceof SocketTimeoutException) {
            return new DeliveryException("no answer from the SMTP server " + server + " within " + policy.timeout().toSeconds() + " s",
                    "is the server reachable from this machine (firewall)?", true);
        }
        if (cause instanceof SSLException) {
            return new DeliveryException("TLS with the SMTP server " + server + " failed: " + oneLine(cause),
                    "check that the server speaks TLS 1.2 or 1.3 on STARTTLS (its log says why it ended the handshake)", false);
        }
        boolean transientReply = e instanceof SMTPSendFailedException f && f.getReturnCode() / 100 == 4;
        return new DeliveryException("the SMTP server " + server + " failed: " + text,
                "check the smtp: setting and the server's log", transientReply || cause instanceof IOException);
    }

    /** The server's certificate was refused: say whose it is, who issued it, and which trust to add. */
    private DeliveryException certificate(String server, SmtpTrust.Attempt tls) {
        String names = tls.presented().map(c -> String.join(", ", SmtpTrust.names(c))).orElse("an unknown name");
        String issuer = tls.presented().map(c -> c.getIssuerX500Principal().getName()).orElse("an unknown CA");
        if (tls.refusal() == SmtpTrust.Refusal.OTHER_NAME) {
            return new DeliveryException("the SMTP server " + server + " presented a certificate for " + names + ", not for " + config.host(),
                    "set smtp: to a name its certificate carries (e.g. \"" + tls.presented().map(c -> SmtpTrust.names(c).get(0)).orElse("HOST")
                            + ":" + config.port() + "\"), or have the relay's certificate reissued for " + config.host(), false);
        }
        String trusted = trust.file().map(f -> "neither trust: " + f + " nor Java's trust store").orElse("Java's trust store does not");
        String hint = trust.file()
                .map(f -> "add the certificate of the CA that issued it (" + issuer + ") to " + f + ", the trust: of channel '" + config.id() + "'")
                .orElse("add trust: PATH to channel '" + config.id() + "' in certops.yaml — a PEM file with the certificate of the CA that issued it ("
                        + issuer + "), e.g. your company's internal CA");
        return new DeliveryException("the SMTP server " + server + " presented a certificate (for " + names + ", issued by " + issuer
                + ") that " + trusted + (trust.file().isPresent() ? " trusts" : " trust"), hint, false);
    }

    private Properties properties() {
        long ms = policy.timeout().toMillis();
        Properties p = new Properties();
        p.put("mail.smtp.host", config.host());
        p.put("mail.smtp.port", String.valueOf(config.port()));
        p.put("mail.smtp.connectiontimeout", String.valueOf(ms));
        p.put("mail.smtp.timeout", String.valueOf(ms));
        p.put("mail.smtp.writetimeout", String.valueOf(ms));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", String.valueOf(config.starttls() == AlertChannelConfig.StartTls.REQUIRED));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.auth", String.valueOf(config.user().isPresent()));
        return p;
    }

    static String body(AlertMessage m) {
        StringBuilder b = new StringBuilder();
        b.append(m.summary()).append("\n\n");
        for (Map.Entry<String, String> f : m.facts().entrySet()) b.append(f.getKey()).append(": ").append(f.getValue()).append('\n');
        if (!m.facts().isEmpty()) b.append('\n');
        if (!m.nextStep().isEmpty()) b.append("Next step:\n    ").append(m.nextStep()).append("\n\n");
        b.append("--\ncertops - ").append(m.workspace()).append(" - ").append(Words.instant(m.time())).append(" - key ").append(m.key())
                .append(m.isResolve() ? " - resolved" : "").append('\n');
        return b.toString();
    }

    private String oneLine(Throwable e) {
        String t = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
        if (password.isPresent() && !password.get().isEmpty()) t = t.replace(password.get(), "(secret)");
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }
}
