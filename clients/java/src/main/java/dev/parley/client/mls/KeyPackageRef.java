package dev.parley.client.mls;

import java.util.Arrays;

/**
 * A KeyPackageRef (RFC 9420 §5.2): {@code RefHash("MLS 1.0 KeyPackage Reference", KeyPackage)}, the
 * SHA-256 of the label and the encoded KeyPackage struct (not the MLSMessage around it). A Welcome
 * names each joiner by it, so a device recognises the Welcome meant for it.
 */
public record KeyPackageRef(byte[] value) {
    public KeyPackageRef {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyPackageRef that && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "KeyPackageRef[" + Bytes.hex(value) + "]";
    }
}
