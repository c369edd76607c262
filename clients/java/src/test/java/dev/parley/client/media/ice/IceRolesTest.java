package dev.parley.client.media.ice;

import dev.parley.client.media.transport.PacketKind;
import dev.parley.client.media.transport.UdpPort;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two of our agents, as two full ICE agents, over real UDP on loopback: the controlled one connects
 * only once the controlling one has nominated the pair, and each answered the other's checks.
 */
class IceRolesTest {

    @Test
    void aControlledAgentConnectsWhenTheControllingPeerNominatesAndBothAnswerChecks() throws Exception {
        SecureRandom random = new SecureRandom();
        IceCredentials offerer = IceCredentials.random(random);
        IceCredentials answerer = IceCredentials.random(random);
        try (UdpPort a = UdpPort.bind(InetAddress.getLoopbackAddress(), "ice-a");
             UdpPort b = UdpPort.bind(InetAddress.getLoopbackAddress(), "ice-b")) {
            a.connectTo(b.localAddress());
            b.connectTo(a.localAddress());
            IceAgent controlling = new IceAgent(a, offerer, answerer, IceRole.CONTROLLING, random);
            IceAgent controlled = new IceAgent(b, answerer, offerer, IceRole.CONTROLLED, random);
            a.on(PacketKind.STUN, controlling).start();
            b.on(PacketKind.STUN, controlled).start();

            CompletableFuture<Void> controlledUp = CompletableFuture.runAsync(() -> {
                try {
                    assertThat(controlled.connect(Duration.ofSeconds(10))).isEqualTo(b.localAddress());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(controlling.connect(Duration.ofSeconds(10))).isEqualTo(a.localAddress());
            controlledUp.get(15, TimeUnit.SECONDS);

            assertThat(controlled.checksAnswered()).isPositive();
            assertThat(controlling.checksAnswered()).isPositive();
            assertThat(controlling.roleConflicts()).isZero();
            assertThat(controlled.roleConflicts()).isZero();
            assertThat(controlling.consentFresh()).isTrue();
            assertThat(controlled.consentFresh()).isTrue();
        }
    }
}
