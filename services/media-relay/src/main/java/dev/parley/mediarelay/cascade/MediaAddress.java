package dev.parley.mediarelay.cascade;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A relay's media port as the other relay of a link reaches it: an IP literal (never a name, so
 * accepting a link never waits on DNS) and a UDP port.
 */
public record MediaAddress(@NotNull @Size(max = 45) @Pattern(regexp = "[0-9.]{7,15}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*") String host,
                           @Min(1) @Max(65535) int port) {

    /** The socket address; the literal is parsed, not resolved. */
    InetSocketAddress socketAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw LinkProblems.invalid("media host " + host + " is not an IP address");
        }
    }
}
