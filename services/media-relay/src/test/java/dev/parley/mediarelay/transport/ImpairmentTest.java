package dev.parley.mediarelay.transport;

import dev.parley.mediarelay.MediaRelayConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ImpairmentTest {

    private final DroppedPackets dropped = new DroppedPackets(new SimpleMeterRegistry());

    @Test
    void offByDefaultDropsNothing() {
        Impairment off = new Impairment(config(0, 0), dropped);

        assertThat(off.delaysSent()).isFalse();
        for (int i = 0; i < 10_000; i++) {
            assertThat(off.dropsReceived()).isFalse();
            assertThat(off.dropsSent()).isFalse();
        }
        assertThat(dropped.total(DropReason.IMPAIRED_RECEIVE) + dropped.total(DropReason.IMPAIRED_SEND)).isZero();
    }

    @Test
    void dropsTheConfiguredShareOfEachDirectionAndCountsIt() {
        Impairment impairment = new Impairment(config(0.05, 0.25), dropped);
        int received = 0;
        int sent = 0;
        for (int i = 0; i < 40_000; i++) {
            received += impairment.dropsReceived() ? 1 : 0;
            sent += impairment.dropsSent() ? 1 : 0;
        }

        // Binomial: 2,000 ± 44 and 10,000 ± 87 (one standard deviation); these bounds are > 6.
        assertThat(received).isBetween(1_700, 2_300);
        assertThat(sent).isBetween(9_400, 10_600);
        assertThat(dropped.total(DropReason.IMPAIRED_RECEIVE)).isEqualTo(received);
        assertThat(dropped.total(DropReason.IMPAIRED_SEND)).isEqualTo(sent);
    }

    @Test
    void delayedSendsLeaveAfterTheDelayInTheOrderTheyWereHandedOver() {
        Impairment impairment = new Impairment(config(0, 0, Duration.ofMillis(50)), dropped);
        List<Integer> sent = new CopyOnWriteArrayList<>();
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();

        assertThat(impairment.delaysSent()).isTrue();
        for (int i = 0; i < 100; i++) {
            int datagram = i;
            impairment.later(() -> {
                sentAt.add(System.nanoTime());
                sent.add(datagram);
            });
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 100);
        assertThat(sent).isSorted();
        assertThat(sentAt.get(0) - start).as("waited the delay").isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void aShareOutsideZeroToOneOrANegativeDelayStopsTheRelayFromStarting() {
        assertThatThrownBy(() -> new Impairment(config(1.5, 0), dropped)).hasMessageContaining("receive-loss");
        assertThatThrownBy(() -> new Impairment(config(0, Double.NaN), dropped)).hasMessageContaining("send-loss");
        assertThatThrownBy(() -> new Impairment(config(0, 0, Duration.ofMillis(-1)), dropped))
                .hasMessageContaining("send-delay");
    }

    private static MediaRelayConfig config(double receiveLoss, double sendLoss) {
        return config(receiveLoss, sendLoss, Duration.ZERO);
    }

    private static MediaRelayConfig config(double receiveLoss, double sendLoss, Duration sendDelay) {
        MediaRelayConfig.Impairment impairment = (MediaRelayConfig.Impairment) Proxy.newProxyInstance(
                ImpairmentTest.class.getClassLoader(), new Class<?>[] {MediaRelayConfig.Impairment.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "receiveLoss" -> receiveLoss;
                    case "sendLoss" -> sendLoss;
                    case "sendDelay" -> sendDelay;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (MediaRelayConfig) Proxy.newProxyInstance(ImpairmentTest.class.getClassLoader(),
                new Class<?>[] {MediaRelayConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("impairment")) {
                        return impairment;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
