package dev.parley.keydistribution.identity;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.keydistribution.KeyDistributionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The Parley CA: binds device signature keys to identities with X.509 certificates that any
 * client verifies against the CA certificate (RFC 9420 §5.3.1, x509 credentials).
 *
 * <p>Every replica derives the same keys and the same CA certificate from one configured seed
 * ({@code parley.key-distribution.authority.seed}); Ed25519 signatures are deterministic (RFC
 * 8032 §5.1.6) and the CA certificate's fields are fixed, so its bytes are identical everywhere
 * and clients can pin them. The service's MLS external-sender key (RFC 9420 §12.1.8.1), which
 * signs the Add and Remove proposals that keep a group in step with its call, is derived from the
 * same seed with HKDF (RFC 5869) under its own label, and certified by the CA like a device.
 */
@ApplicationScoped
public class CertificateAuthority {

    /** The subjectAltName URI prefixes a device certificate carries; clients read identities from them. */
    public static final String USER_URI = "parley:user:";
    public static final String DEVICE_URI = "parley:device:";
    public static final String ROOM_URI = "parley:room:";
    public static final String SERVICE_URI = "parley:service:key-distribution";

    private static final Instant FIXED_NOT_BEFORE = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant FIXED_NOT_AFTER = Instant.parse("2124-01-01T00:00:00Z");
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final byte[] EXTERNAL_SENDER_LABEL =
            "parley key-distribution external sender v1".getBytes(StandardCharsets.UTF_8);

    private final Ed25519PrivateKeyParameters caKey;
    private final X500Name caName;
    private final byte[] caCertificate;
    private final Ed25519PrivateKeyParameters externalSenderKey;
    private final byte[] externalSenderCertificate;
    private final Duration deviceLifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Inject
    CertificateAuthority(KeyDistributionConfig config) {
        this(config.authority().seed(), config.authority().name(), config.authority().deviceCredentialLifetime(),
                Clock.systemUTC());
    }

    public CertificateAuthority(String seed, String name, Duration deviceLifetime, Clock clock) {
        byte[] seedBytes = decodeSeed(seed);
        this.caKey = new Ed25519PrivateKeyParameters(seedBytes);
        this.caName = new X500Name("CN=" + name + " Key Distribution CA");
        this.deviceLifetime = deviceLifetime;
        this.clock = clock;
        this.caCertificate = sign(new X509v3CertificateBuilder(caName, BigInteger.ONE, Date.from(FIXED_NOT_BEFORE),
                Date.from(FIXED_NOT_AFTER), caName, publicKeyInfo(caKey.generatePublicKey().getEncoded())),
                true, List.of());
        this.externalSenderKey = new Ed25519PrivateKeyParameters(derive(seedBytes, EXTERNAL_SENDER_LABEL));
        this.externalSenderCertificate = sign(new X509v3CertificateBuilder(caName, BigInteger.TWO,
                Date.from(FIXED_NOT_BEFORE), Date.from(FIXED_NOT_AFTER), new X500Name("CN=" + name + " Key Distribution"),
                publicKeyInfo(externalSenderKey.generatePublicKey().getEncoded())), false, List.of(SERVICE_URI));
    }

    /** The trust anchor every client pins: DER. */
    public byte[] caCertificate() {
        return caCertificate.clone();
    }

    /** The raw Ed25519 public key of this service's MLS external sender. */
    public byte[] externalSenderKey() {
        return externalSenderKey.generatePublicKey().getEncoded();
    }

    /** The external sender's certificate (DER), issued by the CA like a device's. */
    public byte[] externalSenderCertificate() {
        return externalSenderCertificate.clone();
    }

    /** The external sender's private key, for signing proposals; it never leaves this process. */
    public byte[] externalSenderPrivateKey() {
        return externalSenderKey.getEncoded();
    }

    /**
     * Certifies {@code signatureKey} (raw Ed25519) as {@code device} of {@code user}; for a guest,
     * {@code room} scopes the identity to the one room the guest was let into.
     */
    public byte[] issueDevice(DeviceId device, UserId user, Optional<RoomId> room, byte[] signatureKey) {
        Instant now = clock.instant();
        List<String> uris = new ArrayList<>(List.of(USER_URI + user.value(), DEVICE_URI + device.value()));
        room.ifPresent(r -> uris.add(ROOM_URI + r.value()));
        return sign(new X509v3CertificateBuilder(caName, new BigInteger(127, random).add(BigInteger.valueOf(3)),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(deviceLifetime)),
                new X500Name("CN=" + device.value()), publicKeyInfo(signatureKey)), false, uris);
    }

    private byte[] sign(X509v3CertificateBuilder builder, boolean authority, List<String> uris) {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(authority ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            if (!uris.isEmpty()) {
                GeneralName[] names = uris.stream()
                        .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return builder.build(new Ed25519ContentSigner(caKey)).getEncoded();
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build a certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SubjectPublicKeyInfo publicKeyInfo(byte[] rawKey) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(new Ed25519PublicKeyParameters(rawKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] derive(byte[] seed, byte[] label) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(seed, null, label));
        byte[] out = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    private static byte[] decodeSeed(String seed) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(seed.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parley.key-distribution.authority.seed is not base64", e);
        }
        if (bytes.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("parley.key-distribution.authority.seed must be 32 bytes, base64");
        }
        return bytes;
    }
}
