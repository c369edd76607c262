package dev.parley.media.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A certificate fingerprint as carried in SDP's {@code a=fingerprint} (RFC 8122 §5): the hash
 * function name and the upper-case, colon-separated hash of the DER certificate. Only sha-256 is
 * accepted, which every browser uses (RFC 8827 §6.5 requires at least SHA-256).
 */
public record DtlsFingerprint(String algorithm, String value) {

    public static final String SHA_256 = "sha-256";
    private static final Pattern SHA_256_VALUE = Pattern.compile("([0-9A-F]{2}:){31}[0-9A-F]{2}");

    public DtlsFingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
        if (!SHA_256.equals(algorithm) || !SHA_256_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("a DTLS fingerprint is sha-256 with 32 colon-separated hex bytes");
        }
    }

    /** The sha-256 fingerprint of a DER-encoded certificate. */
    public static DtlsFingerprint sha256(byte[] derCertificate) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(derCertificate);
            return new DtlsFingerprint(SHA_256, HexFormat.ofDelimiter(":").withUpperCase().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The attribute's value: {@code sha-256 AB:CD:…}. */
    public String sdpValue() {
        return algorithm + " " + value;
    }
}
