package dev.parley.mediarelay.dtls;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.UseSRTPData;

import java.io.IOException;
import java.net.DatagramSocket;
import java.util.Hashtable;

/**
 * A participant's DTLS client as a browser plays it ({@code a=setup:active}): it offers both SRTP
 * profiles in {@code use_srtp}, presents its own self-signed certificate, pins the relay's by the
 * fingerprint from the answer, and exports the SRTP keys (RFC 5764 §4.2).
 */
public final class DtlsTestClient extends DefaultTlsClient {

    private final DtlsCertificate own;
    private final DtlsFingerprint expectedServer;
    private final int[] offeredProfiles;
    private SrtpProfile profile;
    private SrtpKeys keys;

    public DtlsTestClient(DtlsCertificate own, DtlsFingerprint expectedServer, int... offeredProfiles) {
        super(own.crypto());
        this.own = own;
        this.expectedServer = expectedServer;
        this.offeredProfiles = offeredProfiles.length == 0 ? SrtpProfile.ids() : offeredProfiles;
    }

    /** Runs the handshake over a socket connected to the relay; returns the exported keys. */
    public SrtpKeys handshake(DatagramSocket connected) throws IOException {
        new DTLSClientProtocol().connect(this, new UDPTransport(connected, 1500));
        return keys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        profile = SrtpProfile.choose(chosen.getProtectionProfiles()).orElseThrow();
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                byte[] der = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                if (!DtlsFingerprint.sha256(der).equals(expectedServer)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate);
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
        keys = SrtpKeys.fromKeyingMaterial(profile,
                context.exportKeyingMaterial(SrtpKeys.EXPORTER_LABEL, null, profile.keyingMaterialLength()));
    }
}
