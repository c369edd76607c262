package dev.parley.media.dtls;

import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;

import java.io.IOException;
import java.util.Hashtable;

/**
 * A DTLS 1.2 server (RFC 6347) negotiating DTLS-SRTP (RFC 5764): the relay for every participant,
 * and the Java client when its peer answers an {@code actpass} offer with {@code a=setup:active}
 * (RFC 5763 §5), as Janus does. It requires the peer's certificate and accepts it only if its
 * sha-256 fingerprint is the one from the peer's SDP (RFC 8827 §6.5), picks a {@link SrtpProfile}
 * from the peer's {@code use_srtp} offer (RFC 5764 §4.1.1) and exports the SRTP keys when the
 * handshake completes (§4.2), both through {@link UseSrtp}. One instance per handshake.
 */
public final class DtlsSrtpServer extends DefaultTlsServer {

    /** ECDHE with ECDSA only: our certificate is ECDSA P-256, and these are what browsers offer. */
    private static final int[] CIPHER_SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };
    private final DtlsIdentity own;
    private final DtlsFingerprint expectedClient;
    private final int handshakeTimeoutMillis;
    private SrtpProfile profile;
    private volatile SrtpKeys keys;

    /**
     * A server with identity {@code own} for the peer whose SDP fingerprint is
     * {@code expectedClient}; a handshake not complete after {@code handshakeTimeoutMillis} is
     * abandoned and its thread released.
     */
    public DtlsSrtpServer(DtlsIdentity own, DtlsFingerprint expectedClient, int handshakeTimeoutMillis) {
        super(own.crypto());
        this.own = own;
        this.expectedClient = expectedClient;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** Waits for the peer's ClientHello over {@code transport} and runs the handshake; leaves the keys in {@link #keys()}. */
    public DTLSTransport handshake(DatagramTransport transport) throws IOException {
        return new DTLSServerProtocol().accept(this, transport);
    }

    /** The SRTP keys, once {@link #handshake} has returned. */
    public SrtpKeys keys() {
        return keys;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return own.signer(context);
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "a WebRTC peer must present a certificate");
        }
        if (!DtlsFingerprint.sha256(clientCertificate.getCertificateAt(0).getEncoded()).equals(expectedClient)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "not the certificate of the answer's fingerprint");
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        profile = UseSrtp.choose(clientExtensions);
    }

    @Override
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        UseSrtp.answer(extensions, profile);
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = UseSrtp.exportKeys(context, profile);
    }
}
