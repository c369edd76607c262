package dev.parley.client.media.dtls;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.media.dtls.UseSrtp;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;

/**
 * The DTLS 1.2 client (RFC 6347) of a participant that answered {@code a=setup:actpass} and got
 * {@code a=setup:passive} back (RFC 5763 §5): it offers {@link SrtpProfile}s in {@code use_srtp}
 * (RFC 5764 §4.1.1), presents its own certificate, accepts the relay's only if its sha-256
 * fingerprint is the one in the answer (RFC 8827 §6.5), and exports the SRTP keys when the handshake
 * completes (RFC 5764 §4.2). One instance per handshake.
 */
public final class DtlsSrtpClient extends DefaultTlsClient {

    private static final int HANDSHAKE_TIMEOUT_MILLIS = 15_000;

    private final DtlsIdentity own;
    private final DtlsFingerprint expectedServer;
    private final List<SrtpProfile> offered;
    private SrtpProfile profile;
    private SrtpKeys keys;

    /** A client that offers every profile, most preferred first, as browsers do. */
    public DtlsSrtpClient(DtlsIdentity own, DtlsFingerprint expectedServer) {
        this(own, expectedServer, List.of(SrtpProfile.values()));
    }

    /** A client that offers only {@code offered}, in that order of preference. */
    public DtlsSrtpClient(DtlsIdentity own, DtlsFingerprint expectedServer, List<SrtpProfile> offered) {
        super(own.crypto());
        this.own = own;
        this.expectedServer = expectedServer;
        this.offered = List.copyOf(offered);
    }

    /**
     * Runs the handshake over {@code transport}; returns the open association and leaves the
     * exported keys in {@link #keys()}.
     */
    public DTLSTransport handshake(DatagramTransport transport) throws IOException {
        return new DTLSClientProtocol().connect(this, transport);
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
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        UseSrtp.offer(extensions, offered);
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        profile = UseSrtp.selected(serverExtensions, offered);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                if (serverCertificate.getCertificate().isEmpty()) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate, "no certificate");
                }
                byte[] der = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                if (!DtlsFingerprint.sha256(der).equals(expectedServer)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate, "not the certificate of the answer's fingerprint");
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                return own.signer(context);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = UseSrtp.exportKeys(context, profile);
    }
}
