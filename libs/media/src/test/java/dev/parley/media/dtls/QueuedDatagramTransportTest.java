package dev.parley.media.dtls;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueuedDatagramTransportTest {

    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final QueuedDatagramTransport transport = new QueuedDatagramTransport(2, 1500, sent::write);

    @Test
    void offeredRecordsAreReadInOrderAndTheQueueIsBounded() throws Exception {
        assertThat(transport.offer(new byte[] {1, 2, 3})).isTrue();
        assertThat(transport.offer(new byte[] {4})).isTrue();
        assertThat(transport.offer(new byte[] {5})).isFalse();

        byte[] buf = new byte[8];
        assertThat(transport.receive(buf, 1, 2, 10)).isEqualTo(2);
        assertThat(buf).startsWith(0, 1, 2);
        assertThat(transport.receive(buf, 0, 8, 10)).isEqualTo(1);
        assertThat(buf[0]).isEqualTo((byte) 4);
        assertThat(transport.receive(buf, 0, 8, 10)).isEqualTo(-1);
        assertThat(transport.getReceiveLimit()).isEqualTo(1500);
        assertThat(transport.getSendLimit()).isEqualTo(QueuedDatagramTransport.SEND_LIMIT);
    }

    @Test
    void writtenRecordsGoToTheSender() throws Exception {
        transport.send(new byte[] {9, 8, 7, 6}, 1, 2);
        assertThat(sent.toByteArray()).containsExactly(8, 7);
    }

    @Test
    void onceClosedItTakesAndSendsNothingAndFailsTheReader() throws Exception {
        transport.offer(new byte[] {1});
        transport.close();
        assertThat(transport.isClosed()).isTrue();
        assertThat(transport.offer(new byte[] {2})).isFalse();
        assertThatThrownBy(() -> transport.receive(new byte[8], 0, 8, 10)).isInstanceOf(IOException.class);
        transport.send(new byte[] {3}, 0, 1);
        assertThat(sent.size()).isZero();
    }
}
