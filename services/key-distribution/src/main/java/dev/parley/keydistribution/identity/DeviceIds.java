package dev.parley.keydistribution.identity;

import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import jakarta.ws.rs.core.Response;

/** Device ids from request paths and bodies, with the errors every endpoint gives for them. */
public final class DeviceIds {

    private DeviceIds() {
    }

    public static DeviceId parse(String candidate) {
        if (!DeviceId.isWellFormed(candidate)) {
            throw new ProblemException(Problem.of("malformed-device-id", "Malformed device id",
                    Response.Status.BAD_REQUEST, "A device id is d- and 26 base32 letters."));
        }
        return new DeviceId(candidate);
    }

    public static ProblemException notFound(String deviceId) {
        return new ProblemException(Problem.of("device-not-found", "No such device", Response.Status.NOT_FOUND,
                "No device " + deviceId + " is registered (it may have expired: register the key again)."));
    }

    public static ProblemException notYours() {
        return new ProblemException(Problem.of("not-your-device", "Not your device", Response.Status.FORBIDDEN,
                "The device is registered to another identity."));
    }
}
