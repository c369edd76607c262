package dev.parley.bench.mediarelay;

/**
 * The largest step of one SFU's ramp whose loss stayed under the limit: forwarded streams, the
 * SFU's cores and the streams per core, added latency, and resident memory per forwarded stream
 * (growth since before the first room, over the streams).
 */
record RampResult(String sfu, int rooms, int streams, double cores, double p50Millis, double p99Millis,
                  double lossPercent, double rssPerStreamBytes) {

    double streamsPerCore() {
        return streams / cores;
    }
}
