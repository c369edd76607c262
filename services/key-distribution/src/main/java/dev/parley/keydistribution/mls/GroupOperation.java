package dev.parley.keydistribution.mls;

/**
 * What one proposal does to a group's membership (RFC 9420 §12.1), as far as the Delivery Service
 * follows it: who is added, which leaf is removed. Everything else (updates, and the types Parley
 * refuses) only has a name.
 */
public sealed interface GroupOperation {

    /** Adds the holder of {@code signatureKey} (raw Ed25519, from the KeyPackage's leaf). */
    record Add(byte[] signatureKey) implements GroupOperation {
    }

    record Remove(int leaf) implements GroupOperation {
    }

    /** A member replacing its own leaf (§12.1.2); membership does not change. */
    record Update() implements GroupOperation {
    }

    /** Pre-shared keys, re-initialisation, external init and group-context changes: refused by Parley. */
    record Refused(String type) implements GroupOperation {
    }
}
