package dev.parley.client.media.negotiation;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Sending for {@code close()}, which may not throw {@link InterruptedException} (AutoCloseable's advice). */
final class Http {

    private Http() {
    }

    /** Sends {@code request}; an interrupt keeps the thread's flag and becomes an {@link InterruptedIOException}. */
    static HttpResponse<String> sendOnClose(HttpClient http, HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while ending the media session");
        }
    }
}
