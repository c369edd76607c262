package dev.parley.keydistribution.keypackage;

import dev.parley.keydistribution.KeyDistributionConfig;
import dev.parley.keydistribution.identity.Bytes;
import dev.parley.keydistribution.identity.Caller;
import dev.parley.keydistribution.identity.Device;
import dev.parley.keydistribution.identity.DeviceId;
import dev.parley.keydistribution.identity.DeviceIds;
import dev.parley.keydistribution.identity.DeviceRegistry;
import dev.parley.keydistribution.mls.KeyPackageCheck;
import dev.parley.keydistribution.mls.MlsFormatException;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * KeyPackages: a device publishes them in batches; anyone signed in claims one to add that
 * device to a group (RFC 9420 §10, §16.8). Each is handed out once; the last resort is handed out
 * when nothing else is left, and the device is told when it runs low.
 */
@Path("/api/v1/devices/{deviceId}/key-packages")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class KeyPackageResource {

    /** An upload: KeyPackage messages (base64url), and optionally a new last-resort one. */
    public record Upload(List<String> keyPackages, String lastResort) {
    }

    private final DeviceRegistry devices;
    private final KeyPackageStore store;
    private final SecurityIdentity identity;
    private final int maxBatch;
    private final int maxBytes;

    KeyPackageResource(DeviceRegistry devices, KeyPackageStore store, SecurityIdentity identity, KeyDistributionConfig config) {
        this.devices = devices;
        this.store = store;
        this.identity = identity;
        this.maxBatch = config.keyPackages().maxBatch();
        this.maxBytes = config.keyPackages().maxBytes();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public KeyPackageStore.Supply upload(@PathParam("deviceId") String deviceId, Upload upload) {
        Device device = ownDevice(deviceId);
        if (upload == null || (upload.keyPackages() == null && upload.lastResort() == null)) {
            throw invalid(null, "The body must be {\"keyPackages\": [...], \"lastResort\": ...}.");
        }
        List<String> batch = upload.keyPackages() == null ? List.of() : upload.keyPackages();
        if (batch.size() > maxBatch) {
            throw new ProblemException(Problem.of("batch-too-large", "Too many KeyPackages", Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "Upload at most " + maxBatch + " KeyPackages at once."));
        }
        byte[] signatureKey = Bytes.decode(device.signatureKey()).orElseThrow();
        List<byte[]> certificates = device.certificates().stream().map(c -> Bytes.decode(c).orElseThrow()).toList();
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            checked.add(checked(signatureKey, certificates, batch.get(i), "keyPackages[" + i + "]"));
        }
        Optional<String> lastResort = Optional.ofNullable(upload.lastResort())
                .map(last -> checked(signatureKey, certificates, last, "lastResort"));
        return store.upload(device.deviceId(), checked, lastResort).orElseThrow(() -> new ProblemException(Problem.of(
                "too-many-key-packages", "Too many KeyPackages", Response.Status.CONFLICT,
                "The device would hold more unclaimed KeyPackages than allowed; upload fewer.")));
    }

    @GET
    public KeyPackageStore.Supply supply(@PathParam("deviceId") String deviceId) {
        return store.supply(ownDevice(deviceId).deviceId());
    }

    @POST
    @Path("/claim")
    public KeyPackageStore.Claimed claim(@PathParam("deviceId") String deviceId) {
        DeviceId id = DeviceIds.parse(deviceId);
        devices.find(id).orElseThrow(() -> DeviceIds.notFound(deviceId));
        return store.claim(id).orElseThrow(() -> new ProblemException(Problem.of("no-key-package", "No KeyPackage left",
                Response.Status.NOT_FOUND, "Device " + deviceId + " has no KeyPackage to claim and no last resort.")));
    }

    private Device ownDevice(String deviceId) {
        Device device = devices.find(DeviceIds.parse(deviceId)).orElseThrow(() -> DeviceIds.notFound(deviceId));
        if (!device.ownedBy(Caller.of(identity).userId())) {
            throw DeviceIds.notYours();
        }
        return device;
    }

    private String checked(byte[] signatureKey, List<byte[]> certificates, String encoded, String field) {
        byte[] bytes = Bytes.decode(encoded).orElseThrow(() -> invalid(field, "not base64url"));
        if (bytes.length > maxBytes) {
            throw invalid(field, "larger than " + maxBytes + " bytes");
        }
        try {
            KeyPackageCheck.check(bytes, signatureKey, certificates);
        } catch (MlsFormatException e) {
            throw invalid(field, e.getMessage());
        }
        return Bytes.encode(bytes);
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.of("invalid-key-package", "Invalid KeyPackage", Response.Status.BAD_REQUEST,
                field == null ? detail : field + ": " + detail));
    }
}
