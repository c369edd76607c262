package dev.parley.media.dtls;

import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;

/**
 * DTLS-SRTP's part of the handshake (RFC 5764 §4.1), as both ends of Parley's media path play it
 * on Bouncy Castle's extension tables: the DTLS client offers {@link SrtpProfile}s in the
 * {@code use_srtp} extension, the DTLS server answers with the one it chose (§4.1.1), and once the
 * handshake completes both derive the same {@link SrtpKeys} from the DTLS exporter (§4.2). No MKI is
 * offered or accepted.
 */
public final class UseSrtp {

    private UseSrtp() {
    }

    /** The client's offer: adds {@code use_srtp} with {@code profiles}, in order of preference. */
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public static void offer(Hashtable clientExtensions, List<SrtpProfile> profiles) throws IOException {
        int[] ids = profiles.stream().mapToInt(SrtpProfile::id).toArray();
        TlsSRTPUtils.addUseSRTPExtension(clientExtensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
    }

    /**
     * The server's choice as the client reads it: exactly one profile, and one the client offered,
     * or the handshake fails with {@code illegal_parameter} (§4.1.1).
     */
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public static SrtpProfile selected(Hashtable serverExtensions, List<SrtpProfile> offered) throws IOException {
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "the server must choose one SRTP profile");
        }
        return SrtpProfile.byId(chosen.getProtectionProfiles()[0]).filter(offered::contains)
                .orElseThrow(() -> new TlsFatalAlert(AlertDescription.illegal_parameter, "an SRTP profile we did not offer"));
    }

    /**
     * The server's choice: our most preferred profile among the client's offer. Without the
     * extension or a common profile there is no SRTP to key, so the handshake fails with
     * {@code handshake_failure}.
     */
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public static SrtpProfile choose(Hashtable clientExtensions) throws IOException {
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no use_srtp extension");
        }
        return SrtpProfile.choose(offered.getProtectionProfiles())
                .orElseThrow(() -> new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP profile"));
    }

    /** The server's answer: adds {@code use_srtp} with the single profile it chose (§4.1.1). */
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics
    public static void answer(Hashtable serverExtensions, SrtpProfile chosen) throws IOException {
        TlsSRTPUtils.addUseSRTPExtension(serverExtensions, new UseSRTPData(new int[] {chosen.id()}, TlsUtils.EMPTY_BYTES));
    }

    /** The SRTP keys of a completed handshake, from the exporter labelled per §4.2. */
    public static SrtpKeys exportKeys(TlsContext context, SrtpProfile profile) {
        return SrtpKeys.fromKeyingMaterial(profile,
                context.exportKeyingMaterial(SrtpKeys.EXPORTER_LABEL, null, profile.keyingMaterialLength()));
    }
}
