package dev.parley.bench.keydistribution;

import dev.parley.bench.common.Replica;

import java.util.List;

/**
 * The replicas' own account of applying the group log ({@code parley.kd.group.records.applied},
 * a timer on {@code /q/metrics}): how many records each applied and how long applying took on
 * average. That is the work on the one thread per replica that follows the log (load the group
 * from Redis, the rules, save), not the delivery to the streams that follows each record. Every
 * replica applies every record (the second finds it applied), so counts add up over replicas.
 */
record AppliedRecords(double count, double seconds) {

    static AppliedRecords of(List<Replica> replicas) throws Exception {
        double count = 0;
        double seconds = 0;
        for (Replica replica : replicas) {
            count += replica.metricSum("parley_kd_group_records_applied_seconds_count", "");
            seconds += replica.metricSum("parley_kd_group_records_applied_seconds_sum", "");
        }
        return new AppliedRecords(count, seconds);
    }

    /** {@code 1,234 records applied (over the replicas), 0.85 ms each on average}. */
    String since(AppliedRecords before) {
        double records = count - before.count;
        return String.format("%,.0f records applied (summed over the replicas), %.2f ms each on average",
                records, records == 0 ? 0 : (seconds - before.seconds) * 1000 / records);
    }
}
