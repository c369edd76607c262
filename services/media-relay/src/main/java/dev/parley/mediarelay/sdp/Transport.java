package dev.parley.mediarelay.sdp;

import java.util.Optional;

/**
 * The ICE and DTLS attributes of a session or media section: {@code a=ice-ufrag}, {@code a=ice-pwd}
 * (RFC 8839 §5.4) and {@code a=fingerprint} (RFC 8122 §5, as "algorithm value"). Media-level values
 * override session-level ones (RFC 8839 §5.4, RFC 8842 §5).
 */
public record Transport(Optional<String> iceUfrag, Optional<String> icePwd, Optional<String> fingerprint) {

    static final Transport NONE = new Transport(Optional.empty(), Optional.empty(), Optional.empty());

    /** This section's values, each falling back to {@code session}'s. */
    Transport over(Transport session) {
        return new Transport(iceUfrag.or(session::iceUfrag), icePwd.or(session::icePwd),
                fingerprint.or(session::fingerprint));
    }
}
