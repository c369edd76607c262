package dev.parley.mediarelay.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceivedDatagramsTest {

    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 5000);

    /**
     * The point of the handoff: a datagram read while the media thread is still busy with the one
     * before keeps the time it was read, not the time the media thread got to it.
     */
    @Test
    @Timeout(10)
    void aDatagramKeepsItsReceiveTimeWhileTheMediaThreadIsBusy() throws Exception {
        ReceivedDatagrams handoff = new ReceivedDatagrams(4, 16);
        CountDownLatch firstTaken = new CountDownLatch(1);
        CountDownLatch secondPublished = new CountDownLatch(1);
        long[] firstDone = new long[1];
        List<long[]> handled = new ArrayList<>();
        Thread media = new Thread(() -> {
            for (int k = 0; k < 2; k++) {
                int slot = handoff.take();
                handled.add(new long[] {handoff.data(slot)[0], handoff.receivedNanos(slot), System.nanoTime()});
                if (k == 0) {
                    firstTaken.countDown();
                    await(secondPublished); // still fanning out the first datagram when the second is read
                    firstDone[0] = System.nanoTime();
                }
                handoff.release(slot);
            }
        });
        media.start();
        int first = handoff.claim();
        handoff.buffer(first).put((byte) 1);
        handoff.publish(first, 1, FROM, System.nanoTime());
        assertThat(firstTaken.await(5, TimeUnit.SECONDS)).isTrue();
        int second = handoff.claim();
        long read = System.nanoTime();
        handoff.buffer(second).put((byte) 2);
        handoff.publish(second, 1, FROM, read);
        secondPublished.countDown();
        media.join();

        assertThat(handled).hasSize(2);
        assertThat(handled.get(1)[0]).isEqualTo(2);
        assertThat(handled.get(1)[1]).as("stamped when read").isEqualTo(read);
        assertThat(handled.get(1)[2]).as("handled once the first was done, after it was read")
                .isGreaterThanOrEqualTo(firstDone[0]).isGreaterThan(read);
    }

    @Test
    @Timeout(10)
    void passesEveryDatagramInOrderThroughAFullRingAndReusesItsBuffers() throws Exception {
        ReceivedDatagrams handoff = new ReceivedDatagrams(4, 16);
        int count = 10_000;
        List<String> seen = new ArrayList<>();
        Thread media = new Thread(() -> {
            for (int k = 0; k < count; k++) {
                int slot = handoff.take();
                ByteBuffer data = ByteBuffer.wrap(handoff.data(slot), 0, handoff.length(slot));
                seen.add(data.getInt() + "@" + handoff.receivedNanos(slot) + " from " + handoff.source(slot));
                handoff.release(slot);
            }
        });
        media.start();
        Set<ByteBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int k = 0; k < count; k++) {
            int slot = handoff.claim();
            ByteBuffer buffer = handoff.buffer(slot);
            buffers.add(buffer);
            buffer.putInt(k);
            handoff.publish(slot, buffer.position(), FROM, 10L * k);
        }
        media.join();
        assertThat(seen).hasSize(count);
        for (int k = 0; k < count; k++) {
            assertThat(seen.get(k)).isEqualTo(k + "@" + 10L * k + " from " + FROM);
        }
        assertThat(buffers).as("no buffer allocated per datagram").hasSize(4);
    }

    @Test
    void theCapacityIsAPowerOfTwo() {
        assertThatThrownBy(() -> new ReceivedDatagrams(1000, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ReceivedDatagrams(1024, 16).capacity()).isEqualTo(1024);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
