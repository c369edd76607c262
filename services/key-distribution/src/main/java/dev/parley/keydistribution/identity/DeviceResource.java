package dev.parley.keydistribution.identity;

import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The Authentication Service half of key distribution (RFC 9420 §16.10 / RFC 9750 §5): devices
 * register their MLS signature key and get an X.509 credential binding it to the caller.
 */
@Path("/api/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {

    /** A registration: the raw Ed25519 key and its {@link RegistrationProof}, base64url. */
    public record Registration(String signatureKey, String proof) {
    }

    /** What clients pin and check credentials against. */
    public record Authority(String caCertificate, ExternalSender externalSender, int cipherSuite) {
    }

    /** The service's entry in every group's external_senders extension (RFC 9420 §12.1.8.1). */
    public record ExternalSender(String signatureKey, List<String> certificates) {
    }

    /** MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (RFC 9420 §17.1), the one suite Parley uses. */
    public static final int CIPHER_SUITE = 1;

    private final DeviceRegistry devices;
    private final CertificateAuthority authority;
    private final SecurityIdentity identity;

    DeviceResource(DeviceRegistry devices, CertificateAuthority authority, SecurityIdentity identity) {
        this.devices = devices;
        this.authority = authority;
        this.identity = identity;
    }

    @GET
    @Path("/authority")
    public Authority authority() {
        String ca = Bytes.encode(authority.caCertificate());
        return new Authority(ca, new ExternalSender(Bytes.encode(authority.externalSenderKey()),
                List.of(Bytes.encode(authority.externalSenderCertificate()), ca)), CIPHER_SUITE);
    }

    @POST
    @Path("/devices")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(Registration registration) {
        if (registration == null) {
            throw invalid("The body must be {\"signatureKey\": ..., \"proof\": ...}.");
        }
        byte[] key = Bytes.decode(registration.signatureKey())
                .filter(k -> k.length == RegistrationProof.KEY_BYTES)
                .orElseThrow(() -> invalid("signatureKey must be a raw 32-byte Ed25519 public key, base64url."));
        byte[] proof = Bytes.decode(registration.proof())
                .orElseThrow(() -> invalid("proof must be a 64-byte Ed25519 signature, base64url."));
        if (!RegistrationProof.holds(key, proof)) {
            throw new ProblemException(Problem.of("invalid-proof", "Invalid proof of possession", Response.Status.BAD_REQUEST,
                    "proof must be the key's signature over \"parley-device-registration-v1:\" followed by the key."));
        }
        DeviceRegistry.Outcome outcome = devices.register(Caller.of(identity), key);
        if (outcome instanceof DeviceRegistry.Outcome.Registered registered) {
            return Response.status(Response.Status.CREATED).entity(registered.device()).build();
        }
        if (outcome instanceof DeviceRegistry.Outcome.AlreadyYours yours) {
            return Response.ok(yours.device()).build();
        }
        throw new ProblemException(Problem.of("key-registered-elsewhere", "Key belongs to someone else",
                Response.Status.CONFLICT, "This signature key is registered to another identity; generate a new key."));
    }

    @GET
    @Path("/devices/{deviceId}")
    public Device device(@PathParam("deviceId") String deviceId) {
        return devices.find(DeviceIds.parse(deviceId)).orElseThrow(() -> DeviceIds.notFound(deviceId));
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.of("invalid-registration", "Invalid registration", Response.Status.BAD_REQUEST, detail));
    }
}
