package dev.parley.mediarelay.rtcp;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class KeyframeRequestsTest {

    private static final long MS = 1_000_000L;

    private final KeyframeRequests requests = new KeyframeRequests(Duration.ofMillis(300));

    @Test
    void passesOneRequestPerStreamPerInterval() {
        long start = -5_000 * MS;   // nanoTime may be negative

        assertThat(requests.tryRequest(1, start)).isTrue();
        assertThat(requests.tryRequest(1, start + 100 * MS)).isFalse();
        assertThat(requests.tryRequest(2, start + 100 * MS)).as("another stream").isTrue();
        assertThat(requests.tryRequest(1, start + 299 * MS)).isFalse();
        assertThat(requests.tryRequest(1, start + 300 * MS)).isTrue();
        assertThat(requests.tryRequest(1, start + 500 * MS)).as("counted from the last passed request").isFalse();
    }

    @Test
    void firSequenceNumbersCountPerTargetAndWrapAt256() {
        for (int i = 0; i < 256; i++) {
            assertThat(requests.nextFirSequenceNumber(7)).isEqualTo(i);
        }

        assertThat(requests.nextFirSequenceNumber(7)).isZero();
        assertThat(requests.nextFirSequenceNumber(8)).isZero();
        assertThat(requests.tryRequest(7, 0)).as("numbering does not count as a request").isTrue();
    }

    @Test
    void aForgottenStreamStartsAfresh() {
        requests.tryRequest(1, 0);
        requests.nextFirSequenceNumber(1);

        requests.forget(1);

        assertThat(requests.tryRequest(1, 1)).isTrue();
        assertThat(requests.nextFirSequenceNumber(1)).isZero();
    }

    @Test
    void aStormFromManySubscribersCollapsesIntoOneRequestPerInterval() {
        int passed = 0;
        // 50 subscribers each asking every 20 ms for 3 s: 7,500 requests for one stream.
        for (long t = 0; t < 3_000 * MS; t += 20 * MS) {
            for (int subscriber = 0; subscriber < 50; subscriber++) {
                if (requests.tryRequest(1, t)) {
                    passed++;
                }
            }
        }

        assertThat(passed).as("one per 300 ms (at 0, 300, ... 2,700 ms)").isEqualTo(10);
    }
}
