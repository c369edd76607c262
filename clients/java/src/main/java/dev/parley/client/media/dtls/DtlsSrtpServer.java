package dev.parley.client.media.dtls;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.dtls.UseSrtp;
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
 * The DTLS 1.2 server (RFC 6347) of a participant whose peer answered its {@code actpass} offer
 * with {@code a=setup:active} (RFC 5763 §5), as Janus does: it requires the peer's certificate and
 * accepts it only if its sha-256 fingerprint is the one in the answer (RFC 8827 §6.5), chooses an
 * {@link SrtpProfile} from the peer's {@code use_srtp} offer (RFC 5764 §4.1.1) and exports the SRTP
 * keys when the handshake completes (§4.2). One instance per handshake.
 */
public final class DtlsSrtpServer extends DefaultTlsServer {

    /** ECDHE with ECDSA: the client's certificate is ECDSA P-256. */
    private static final int[] CIPHER_SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 15_000;

    private final ClientCertificate own;
    private final DtlsFingerprint expectedClient;
    private SrtpProfile profile;
    private SrtpKeys keys;

    public DtlsSrtpServer(ClientCertificate own, DtlsFingerprint expectedClient) {
        super(own.crypto());
        this.own = own;
        this.expectedClient = expectedClient;
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
        return HANDSHAKE_TIMEOUT_MILLIS;
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
