package dev.parley.mediarelay.dtls;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.dtls.UseSrtp;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;

import java.io.IOException;
import java.util.Hashtable;

/**
 * One session's DTLS 1.2 server (RFC 6347) negotiating DTLS-SRTP (RFC 5764): it requires the
 * client's certificate and checks it against the fingerprint from the client's SDP (RFC 8827 §6.5),
 * picks a {@link SrtpProfile} from the client's {@code use_srtp} offer (§4.1.1) and exports the SRTP
 * keys when the handshake completes (§4.2), both through {@link UseSrtp}.
 */
final class SrtpDtlsServer extends DefaultTlsServer {

    /** ECDHE with ECDSA only: the relay's certificate is ECDSA, and these are what browsers offer. */
    private static final int[] CIPHER_SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    private final DtlsCertificate certificate;
    private final DtlsFingerprint expectedClient;
    private SrtpProfile profile;
    private volatile SrtpKeys keys;

    SrtpDtlsServer(DtlsCertificate certificate, DtlsFingerprint expectedClient) {
        super(certificate.crypto());
        this.certificate = certificate;
        this.expectedClient = expectedClient;
    }

    /** The SRTP keys, once the handshake has completed. */
    SrtpKeys keys() {
        return keys;
    }

    /** A handshake that has not completed by then is abandoned, and its thread released. */
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
        return certificate.signer(context);
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
        DtlsFingerprint presented = DtlsFingerprint.sha256(clientCertificate.getCertificateAt(0).getEncoded());
        if (!presented.equals(expectedClient)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate does not match the SDP fingerprint");
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
