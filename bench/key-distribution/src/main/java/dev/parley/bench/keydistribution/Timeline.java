package dev.parley.bench.keydistribution;

import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.Report;

import java.util.ArrayList;
import java.util.List;

/**
 * The stages one kind of membership change goes through, stamped on the bench's clock for each
 * round, and the distribution over rounds of the whole change and of each stage (from the one
 * before it that was seen). A stage not seen in a round ({@code -1}) is left out of that round's
 * stages.
 */
final class Timeline {

    private final List<String> stages;
    private final Latencies total = new Latencies();
    private final List<Latencies> segments = new ArrayList<>();
    private long worst;

    Timeline(List<String> stages) {
        this(stages.toArray(String[]::new));
    }

    Timeline(String... stages) {
        this.stages = List.of(stages);
        for (int i = 0; i < stages.length; i++) {
            segments.add(new Latencies());
        }
    }

    /**
     * Records one round that began at {@code start}; {@code stamps} are the stages' times in
     * order, the last one ending the change. Returns the round as {@code stage +12 ms, …}
     * (each from the start).
     */
    String record(long start, long... stamps) {
        if (stamps.length != stages.size()) {
            throw new IllegalArgumentException(stages.size() + " stages, " + stamps.length + " stamps");
        }
        long end = stamps[stamps.length - 1];
        total.record(end - start);
        worst = Math.max(worst, end - start);
        long previous = start;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < stamps.length; i++) {
            text.append(i == 0 ? "" : ", ").append(stages.get(i)).append(' ');
            if (stamps[i] < 0) {
                text.append('?');
                continue;
            }
            segments.get(i).record(stamps[i] - previous);
            previous = stamps[i];
            text.append(String.format("%.0f ms", (stamps[i] - start) / 1e6));
        }
        return text.toString();
    }

    List<String> stages() {
        return stages;
    }

    /** The longest change recorded, in nanoseconds. */
    long worst() {
        return worst;
    }

    String total() {
        return total.summary();
    }

    /** One line per stage: {@code <previous stage> -> <stage>: p50 …}. */
    void reportStages(Report report, String indent, String startName) {
        for (int i = 0; i < stages.size(); i++) {
            report.line("%s%s -> %s: %s", indent, i == 0 ? startName : stages.get(i - 1), stages.get(i), segments.get(i).summary());
        }
    }
}
