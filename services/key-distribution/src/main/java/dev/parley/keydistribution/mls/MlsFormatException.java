package dev.parley.keydistribution.mls;

/** Bytes that are not the MLS message they should be; its message says what is wrong, for the client. */
public class MlsFormatException extends Exception {

    public MlsFormatException(String message) {
        super(message);
    }
}
