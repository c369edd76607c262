package dev.parley.client.mls;

/**
 * A member's position in the ratchet tree (RFC 9420 §4.1 and §7.8): stable while the member stays in
 * the group, reused after it leaves. Remove proposals name members by it, and SFrame key ids carry it.
 */
public record LeafIndex(int value) implements Comparable<LeafIndex> {
    public LeafIndex {
        if (value < 0) {
            throw new IllegalArgumentException("a leaf index is not negative: " + value);
        }
    }

    @Override
    public int compareTo(LeafIndex other) {
        return Integer.compare(value, other.value);
    }

    org.bouncycastle.mls.TreeKEM.LeafIndex toMls() {
        return new org.bouncycastle.mls.TreeKEM.LeafIndex(value);
    }
}
