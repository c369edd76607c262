package dev.parley.client.mls;

import java.util.Arrays;

/**
 * An MLS group id (RFC 9420 §8.1, GroupContext.group_id). Parley's server chooses it: 32 random
 * bytes per call. The array is copied in and out, so a GroupId cannot change.
 */
public record GroupId(byte[] value) {
    public GroupId {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("a group id is at least one byte");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupId that && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "GroupId[" + Bytes.hex(value) + "]";
    }
}
