package io.lxcautoscale.model.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.lxcautoscale.model.testing.SilentServer;
import io.lxcautoscale.model.testing.StartTlsFront;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** E-mail against GreenMail, an in-process SMTP server: STARTTLS (through a STARTTLS front), implicit TLS, refusals. */
class MailNotifierTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(
            new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort()});

    private static final Message OOM = new Message("oom_kill", "102", "lxc_autoscale_ml: OOM kill - container 102",
            "Container 102: 1 OOM kill(s) in its latest samples.", 4, List.of("skull"), 3, Instant.parse("2026-08-18T10:00:00Z"));

    private static NotificationsConfig.Email email(int port, String security) {
        return NotificationsTest.config("email: {smtp_host: 127.0.0.1, smtp_port: " + port + ", security: " + security
                + ", trust_hosts: 127.0.0.1, from: lxcas@node.example.org, to: [admin@example.org, ops@example.org]}").email();
    }

    @Test
    void starttlsUpgradesTheConnectionBeforeTheMailGoesOut() throws Exception {
        try (StartTlsFront front = new StartTlsFront(MAIL.getSmtp().getPort());
             Notifications n = Notifications.of(NotificationsTest.config("email: {smtp_host: 127.0.0.1, smtp_port: " + front.port()
                     + ", trust_hosts: 127.0.0.1, from: lxcas@node.example.org, to: [admin@example.org]}"))) {
            n.submit(new Event(EventType.OOM_KILL, "102", "Container 102: 1 OOM kill(s).", Instant.parse("2026-08-18T10:00:00Z")));
            assertThat(MAIL.waitForIncomingEmail(30_000, 1)).isTrue();
            MimeMessage got = MAIL.getReceivedMessages()[0];
            assertThat(got.getSubject()).isEqualTo("lxc_autoscale_ml: OOM kill - container 102");
            assertThat(got.getFrom()[0].toString()).isEqualTo("lxcas@node.example.org");
            assertThat(got.getAllRecipients()).extracting(Object::toString).containsExactly("admin@example.org");
            assertThat(((String) got.getContent())).contains("Container 102: 1 OOM kill(s).").contains("event: oom_kill");
            assertThat(front.negotiated()).startsWith("TLSv1.");
            assertThat(front.mailRefusedInClear()).isFalse();
            NotificationsTest.waitFor(() -> n.sent("email") == 1);
        }
    }

    @Test
    void starttlsRefusesToSendInClearWhenTheServerDoesNotOfferIt() {
        MailNotifier plainServer = new MailNotifier(email(MAIL.getSmtp().getPort(), "starttls"), Duration.ofSeconds(20));
        assertThatThrownBy(() -> plainServer.send(OOM)).isInstanceOf(MessagingException.class).hasMessageContaining("STARTTLS");
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void implicitTlsSendsToEveryRecipient() throws Exception {
        new MailNotifier(email(MAIL.getSmtps().getPort(), "tls"), Duration.ofSeconds(20)).send(OOM);
        MimeMessage[] got = MAIL.getReceivedMessages();
        assertThat(got).hasSize(2);   // one copy per recipient mailbox
        assertThat(got[0].getSubject()).isEqualTo(OOM.title());
        assertThat(got[0].getHeader("X-Priority")).containsExactly("2");
        assertThat(got[0].getAllRecipients()).extracting(Object::toString).containsExactly("admin@example.org", "ops@example.org");
    }

    /** A server that accepts and never greets: the send fails after the timeout instead of hanging. */
    @Test
    void aSilentServerIsGivenUpAfterTheTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            MailNotifier n = new MailNotifier(email(silent.port(), "starttls"), Duration.ofSeconds(1));
            assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> n.send(OOM)))
                    .isInstanceOf(MessagingException.class);
        }
    }

    @Test
    void clearTextIsUsedOnlyWhenAskedFor() throws Exception {
        new MailNotifier(email(MAIL.getSmtp().getPort(), "none"), Duration.ofSeconds(20)).send(OOM);
        assertThat(MAIL.getReceivedMessages()).hasSize(2);
    }
}
