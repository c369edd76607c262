package dev.parley.client.mls;

import java.util.HexFormat;

/** Byte-array helpers for the value records, which must compare and print their contents. */
final class Bytes {
    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {
    }

    static String hex(byte[] value) {
        return HEX.formatHex(value);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
