package dev.parley.client.media.ice;

/**
 * The agent's role in ICE (RFC 8445 §6.1.1): with two full agents the offerer controls and the
 * answerer is controlled; facing an ICE-lite peer the full agent always controls (§6.1.3.1).
 * Only the controlling agent nominates (USE-CANDIDATE, §8.1.1); each check says its sender's
 * role in ICE-CONTROLLING or ICE-CONTROLLED with a tie-breaker (§7.1.3).
 */
public enum IceRole {
    CONTROLLING, CONTROLLED;

    /** The role of an agent whose peer is a full agent: the offerer controls (RFC 8445 §6.1.1). */
    public static IceRole ofFullAgent(boolean offerer) {
        return offerer ? CONTROLLING : CONTROLLED;
    }
}
