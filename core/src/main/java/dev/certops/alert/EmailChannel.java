package dev.certops.alert;

import dev.certops.config.AlertChannelConfig;
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

/**
 * SMTP submission through Jakarta Mail (Eclipse Angus), with STARTTLS required unless the channel
 * says {@code starttls: optional}. A plain-text mail: the subject is the alert's title, the body the
 * summary, the facts, the next command and where it came from.
 */
final class EmailChannel implements AlertChannel {
    private final AlertChannelConfig.Email config;
    private final Optional<String> password;
    private final RetryPolicy policy;
    private final RetryPolicy.Sleeper sleeper;

    EmailChannel(AlertChannelConfig.Email config, Optional<String> password, RetryPolicy policy, RetryPolicy.Sleeper sleeper) {
        this.config = config;
        this.password = password;
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
        try {
            Session session = Session.getInstance(properties());
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
            throw classify(server, e);
        }
    }

    private DeliveryException classify(String server, MessagingException e) {
        Throwable cause = e.getCause();
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
        if (cause instanceof javax.net.ssl.SSLException) {
            return new DeliveryException("TLS with the SMTP server " + server + " failed: " + cause.getMessage(),
                    "is the server's certificate trusted by this Java (its CA in the trust store)?", false);
        }
        boolean transientReply = e instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException f && f.getReturnCode() / 100 == 4;
        return new DeliveryException("the SMTP server " + server + " failed: " + text,
                "check the smtp: setting and the server's log", transientReply || cause instanceof IOException);
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
        b.append("--\ncertops - ").append(m.workspace()).append(" - ").append(m.time()).append(" - key ").append(m.key())
                .append(m.isResolve() ? " - resolved" : "").append('\n');
        return b.toString();
    }

    private String oneLine(Exception e) {
        String t = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
        if (password.isPresent() && !password.get().isEmpty()) t = t.replace(password.get(), "(secret)");
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }
}
