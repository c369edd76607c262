package dev.parley.mediarelay.ice;

import dev.parley.mediarelay.session.SessionRegistry;
import org.ice4j.security.CredentialsAuthority;

import java.nio.charset.StandardCharsets;

/**
 * Gives ice4j's STUN codec the relay's short-term password for a ufrag (RFC 8489 §9.1.2): the key
 * that checks a request's MESSAGE-INTEGRITY and signs the response. The relay is ICE-lite and
 * sends no checks itself, so it knows no remote keys.
 */
final class SessionPasswords implements CredentialsAuthority {

    private final SessionRegistry sessions;

    SessionPasswords(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Override
    public byte[] getLocalKey(String ufrag) {
        return sessions.byLocalUfrag(ufrag)
                .map(session -> session.localIce().password().getBytes(StandardCharsets.US_ASCII))
                .orElse(null);
    }

    @Override
    public byte[] getRemoteKey(String username, String media) {
        return null;
    }

    @Override
    public boolean checkLocalUserName(String ufrag) {
        return sessions.byLocalUfrag(ufrag).isPresent();
    }
}
