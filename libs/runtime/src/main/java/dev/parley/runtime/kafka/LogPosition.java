package dev.parley.runtime.kafka;

/**
 * Where an event sits in the rooms topic. One room's events all live in one partition, so for a
 * given room a higher offset always means a later state.
 */
public record LogPosition(int partition, long offset) {

    public boolean isAfter(LogPosition other) {
        return other == null || offset > other.offset;
    }
}
