package dev.parley.client.mls;

/**
 * The security code members of a call compare out of band (read aloud, or shown side by side) to
 * know they share one group state: if the Delivery Service had given two members different views
 * (a forked group, an injected member), their codes differ.
 *
 * <p>It is derived from the epoch authenticator, which RFC 9420 §8.7 provides for exactly this
 * purpose: 30 decimal digits in six groups of five, group {@code i} being the unsigned big-endian
 * 40-bit number in bytes {@code 5i .. 5i+4} modulo 100,000 (the same construction as Signal's
 * safety numbers). It changes with every epoch.
 */
public final class SecurityCode {

    private static final int GROUPS = 6;
    private static final int BYTES_PER_GROUP = 5;

    private SecurityCode() {
    }

    public static String of(byte[] epochAuthenticator) {
        if (epochAuthenticator.length < GROUPS * BYTES_PER_GROUP) {
            throw new IllegalArgumentException("an epoch authenticator has at least 30 bytes");
        }
        StringBuilder code = new StringBuilder();
        for (int group = 0; group < GROUPS; group++) {
            long value = 0;
            for (int i = 0; i < BYTES_PER_GROUP; i++) {
                value = (value << 8) | (epochAuthenticator[group * BYTES_PER_GROUP + i] & 0xff);
            }
            if (group > 0) {
                code.append(' ');
            }
            code.append(String.format("%05d", value % 100_000));
        }
        return code.toString();
    }

    /** The code of {@code member}'s current epoch. */
    public static String of(MlsMember member) {
        return of(member.epochAuthenticator());
    }
}
