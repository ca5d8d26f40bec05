package io.lxcautoscale.model.notify;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * E-mail through SMTP (Jakarta Mail, Eclipse Angus): {@code starttls} upgrades the connection and refuses to
 * send when the server does not offer STARTTLS, {@code tls} connects with TLS from the first byte (port 465),
 * {@code none} sends in clear. Connect, read and write are bounded by the timeout.
 */
public final class MailNotifier implements Notifier {
    private final NotificationsConfig.Email config;
    private final Session session;

    public MailNotifier(NotificationsConfig.Email config, Duration timeout) {
        this.config = config;
        this.session = Session.getInstance(properties(config, timeout));
    }

    static Properties properties(NotificationsConfig.Email c, Duration timeout) {
        Properties p = new Properties();
        boolean tls = c.security().equals("tls");
        String proto = tls ? "smtps" : "smtp";
        p.put("mail.transport.protocol", proto);
        String prefix = "mail." + proto + ".";
        p.put(prefix + "host", c.smtpHost());
        p.put(prefix + "port", Integer.toString(c.smtpPort()));
        String millis = Long.toString(timeout.toMillis());
        p.put(prefix + "connectiontimeout", millis);
        p.put(prefix + "timeout", millis);
        p.put(prefix + "writetimeout", millis);
        p.put(prefix + "auth", Boolean.toString(c.username() != null));
        if (c.security().equals("starttls")) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        if (!c.security().equals("none")) {
            p.put(prefix + "ssl.checkserveridentity", Boolean.toString(c.trustHosts() == null));
            if (c.trustHosts() != null) {
                p.put(prefix + "ssl.trust", c.trustHosts());
            }
        }
        return p;
    }

    @Override
    public String kind() {
        return "email";
    }

    @Override
    public void send(Message m) throws MessagingException {
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(config.from()));
        for (String to : config.to()) {
            mail.addRecipient(RecipientType.TO, new InternetAddress(to));
        }
        mail.setSubject(m.title(), "UTF-8");
        String text = m.body() + "\n\nevent: " + m.event() + (m.vmid() == null ? "" : "\ncontainer: " + m.vmid())
                + "\ntime: " + m.at() + "\n";
        mail.setText(text, "UTF-8");
        mail.setSentDate(Date.from(m.at()));
        if (m.priority() >= 4) {
            mail.setHeader("X-Priority", "2");
        }
        String proto = config.security().equals("tls") ? "smtps" : "smtp";
        try (Transport t = session.getTransport(proto)) {
            t.connect(config.smtpHost(), config.smtpPort(), config.username(), config.password());
            mail.saveChanges();
            t.sendMessage(mail, mail.getAllRecipients());
        }
    }
}
