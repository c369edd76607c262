package dev.parley.client.media.dtls;

import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.media.dtls.DtlsSrtpServer;
import dev.parley.media.dtls.QueuedDatagramTransport;
import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import java.time.Duration;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's DTLS server (for an SFU that answers {@code a=setup:active}, as Janus does) against
 * the client's DTLS client, in memory: both pin each other's fingerprint and derive the same SRTP
 * keys; and the role each {@code a=setup} value gives us.
 */
class DtlsRolesTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void ourSetupFollowsThePeers() {
        assertThat(DtlsRole.facing("active")).contains(DtlsRole.SERVER);
        assertThat(DtlsRole.facing("passive")).contains(DtlsRole.CLIENT);
        assertThat(DtlsRole.facing("actpass")).contains(DtlsRole.CLIENT);
        assertThat(DtlsRole.facing("holdconn")).isEmpty();
        assertThat(DtlsRole.CLIENT.answerSetup()).isEqualTo("active");
        assertThat(DtlsRole.SERVER.answerSetup()).isEqualTo("passive");
    }

    @Test
    void theServerRoleCompletesAHandshakeAndBothEndsProtectWithTheSameKeys() throws Exception {
        DtlsIdentity serverIdentity = DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), random);
        DtlsIdentity clientIdentity = DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), random);
        DtlsSrtpServer server = new DtlsSrtpServer(serverIdentity, clientIdentity.fingerprint(), 15_000);
        DtlsSrtpClient client = new DtlsSrtpClient(clientIdentity, serverIdentity.fingerprint());
        Link link = new Link();

        CompletableFuture<DTLSTransport> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return server.handshake(link.serverSide);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        client.handshake(link.clientSide);
        accepted.get(20, TimeUnit.SECONDS);

        assertThat(server.keys().profile()).isEqualTo(client.keys().profile());
        byte[] rtp = new byte[100];
        rtp[0] = (byte) 0x80;
        rtp[1] = 96;
        rtp[11] = 7;
        SrtpPacket packet = new SrtpPacket(Arrays.copyOf(rtp, 200), 0, rtp.length);
        assertThat(SrtpTransformer.forDtlsServer(server.keys()).protectRtp(packet)).isTrue();
        assertThat(packet.getLength()).isGreaterThan(rtp.length);
        assertThat(SrtpTransformer.forDtlsClient(client.keys()).unprotectRtp(packet)).isTrue();
        assertThat(Arrays.copyOfRange(packet.getBuffer(), packet.getOffset(), packet.getOffset() + packet.getLength()))
                .isEqualTo(rtp);
    }

    @Test
    void theServerRefusesAClientWhoseCertificateIsNotTheOneInTheSdp() throws Exception {
        DtlsIdentity serverIdentity = DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), random);
        DtlsIdentity clientIdentity = DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), random);
        DtlsIdentity someoneElse = DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), random);
        DtlsSrtpServer server = new DtlsSrtpServer(serverIdentity, someoneElse.fingerprint(), 15_000);
        DtlsSrtpClient client = new DtlsSrtpClient(clientIdentity, serverIdentity.fingerprint());
        Link link = new Link();
        AtomicReference<Throwable> serverFailure = new AtomicReference<>();
        CompletableFuture<Void> accepting = CompletableFuture.runAsync(() -> {
            try {
                server.handshake(link.serverSide);
            } catch (Exception e) {
                serverFailure.set(e);
            }
        });
        assertThatThrownBy(() -> client.handshake(link.clientSide)).isInstanceOfSatisfying(TlsFatalAlertReceived.class,
                alert -> assertThat(alert.getAlertDescription()).isEqualTo(AlertDescription.bad_certificate));
        accepting.get(20, TimeUnit.SECONDS);
        assertThat(serverFailure.get()).isInstanceOfSatisfying(TlsFatalAlert.class,
                alert -> assertThat(alert.getAlertDescription()).isEqualTo(AlertDescription.bad_certificate));
    }

    /** Two queued transports, each sending into the other's queue. */
    private static final class Link {
        private final AtomicReference<QueuedDatagramTransport> toClient = new AtomicReference<>();
        private final AtomicReference<QueuedDatagramTransport> toServer = new AtomicReference<>();
        final QueuedDatagramTransport serverSide = new QueuedDatagramTransport(64, QueuedDatagramTransport.SEND_LIMIT,
                (data, offset, length) -> toClient.get().offer(Arrays.copyOfRange(data, offset, offset + length)));
        final QueuedDatagramTransport clientSide = new QueuedDatagramTransport(64, QueuedDatagramTransport.SEND_LIMIT,
                (data, offset, length) -> toServer.get().offer(Arrays.copyOfRange(data, offset, offset + length)));

        Link() {
            toClient.set(clientSide);
            toServer.set(serverSide);
        }
    }
}
