package dev.parley.mediarelay.rtcp;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The packets of one stream that a gap in sequence numbers showed missing and that have not arrived
 * late since: the candidates for a generic NACK (RFC 4585 §6.2.1). Only the last {@code window}
 * extended sequence numbers are kept: older losses are past the point where a retransmission helps,
 * and the bound keeps a huge gap from costing memory.
 */
final class MissingSequenceNumbers {

    private final int window;
    private final TreeSet<Long> missing = new TreeSet<>();

    MissingSequenceNumbers(int window) {
        this.window = window;
    }

    /** The highest extended sequence number moved from {@code previous} to {@code highest}. */
    void advanced(long previous, long highest) {
        long oldestKept = highest - window + 1;
        for (long s = Math.max(previous + 1, oldestKept); s < highest; s++) {
            missing.add(s);
        }
        missing.headSet(oldestKept).clear();
    }

    /** A packet behind the highest arrived: reordered, retransmitted or duplicated. */
    void arrived(long extendedSequence) {
        missing.remove(extendedSequence);
    }

    void clear() {
        missing.clear();
    }

    /** The 16-bit sequence numbers, oldest first. */
    List<Integer> sequenceNumbers() {
        List<Integer> numbers = new ArrayList<>(missing.size());
        for (long s : missing) {
            numbers.add((int) (s & 0xFFFF));
        }
        return numbers;
    }
}
