package dev.parley.runtime.guest;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Issues and verifies guest tokens: JWTs (RFC 7519) signed with HMAC-SHA256 (JWS, RFC 7515) by
 * Parley, not Keycloak, each scoped to one room.
 *
 * <p>Signing keys rotate every {@code rotation}: the key of rotation period {@code n} is
 * {@code HMAC-SHA256(secret, "parley guest token key v1|" + n)}, a single-block key derivation in
 * counter mode (NIST SP 800-108) from the secret all replicas share, so every replica derives the
 * same keys without storing or exchanging them. The token's {@code kid} names its period; tokens
 * of the current and the previous period are accepted, so a token never outlives its key by more
 * than one rotation, and a token lifetime shorter than the rotation is never cut short.
 */
public final class GuestTokens {

    /** The JWS {@code typ} that tells guest tokens apart from Keycloak's. */
    public static final String TYPE = "parley-guest+jwt";
    static final String ISSUER = "parley-signaling";
    static final String AUDIENCE = "parley-guest";
    private static final String ROOM_CLAIM = "room";
    private static final String NAME_CLAIM = "name";

    private final byte[] secret;
    private final Duration lifetime;
    private final Duration rotation;
    private final Clock clock;

    public GuestTokens(GuestTokenSettings settings, Clock clock) {
        this(settings.tokenSecret(), settings.tokenLifetime(), settings.keyRotation(), clock);
    }

    public GuestTokens(String secret, Duration lifetime, Duration rotation, Clock clock) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("the guest token secret has at least 32 characters");
        }
        if (lifetime.compareTo(rotation) > 0) {
            throw new IllegalArgumentException("guest tokens may not live longer than one key rotation");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.lifetime = lifetime;
        this.rotation = rotation;
        this.clock = clock;
    }

    /** A signed token for {@code guest}, and when it expires. */
    public Issued issue(GuestIdentity guest) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(guest.userId().value());
        claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(expiresAt.toEpochMilli()));
        claims.setGeneratedJwtId();
        claims.setStringClaim(ROOM_CLAIM, guest.roomId().value());
        claims.setStringClaim(NAME_CLAIM, guest.displayName());
        long period = periodOf(now);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue(Long.toString(period));
        jws.setHeader("typ", TYPE);
        jws.setKey(key(period));
        try {
            return new Issued(jws.getCompactSerialization(), expiresAt);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a guest token", e);
        }
    }

    /** A token and its expiry. */
    public record Issued(String token, Instant expiresAt) {
    }

    /** Whether {@code token} claims to be a guest token (its header says so); nothing is verified. */
    public static boolean looksLikeGuestToken(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
                    StandardCharsets.UTF_8);
            return header.contains("\"" + TYPE + "\"");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The guest a valid token names; empty when the token is forged, altered, expired or foreign. */
    public Optional<GuestIdentity> verify(String token) {
        try {
            JwtConsumer consumer = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setExpectedIssuer(ISSUER)
                    .setExpectedAudience(AUDIENCE)
                    .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                    .setAllowedClockSkewInSeconds(0)
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.HMAC_SHA256)
                    .setVerificationKeyResolver((jws, nesting) -> keyNamed(jws.getKeyIdHeaderValue()))
                    .build();
            JwtClaims claims = consumer.processToClaims(token);
            return Optional.of(new GuestIdentity(new UserId(claims.getSubject()),
                    claims.getStringClaimValue(NAME_CLAIM),
                    new RoomId(claims.getStringClaimValue(ROOM_CLAIM))));
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The key a token's {@code kid} names, if that period's tokens are still accepted. */
    private HmacKey keyNamed(String kid) throws UnresolvableKeyException {
        long current = periodOf(clock.instant());
        try {
            long period = Long.parseLong(kid);
            if (period == current || period == current - 1) {
                return key(period);
            }
        } catch (NumberFormatException e) {
            // Falls through: not a key of ours.
        }
        throw new UnresolvableKeyException("no accepted guest-token key named " + kid);
    }

    private long periodOf(Instant at) {
        return at.toEpochMilli() / rotation.toMillis();
    }

    private HmacKey key(long period) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new HmacKey(mac.doFinal(("parley guest token key v1|" + period).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
