package dev.parley.client.kd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.client.mls.CredentialChain;

import java.util.List;

/** The JSON bodies of the key-distribution API (docs/key-distribution-api.md); binary values are base64url. */
public final class Wire {

    private Wire() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Authority(String caCertificate, ExternalSender externalSender, int cipherSuite) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExternalSender(String signatureKey, List<String> certificates) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Device(String deviceId, String userId, String roomId, String signatureKey, List<String> certificates) {

        /** The device's MLS credential: its certificate and the CA's. */
        public CredentialChain credential() {
            return CredentialChain.of(KeyDistributionClient.decode(certificates.get(0)), KeyDistributionClient.decode(certificates.get(1)));
        }
    }

    record Registration(String signatureKey, String proof) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Upload(List<String> keyPackages, String lastResort) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Supply(long available, boolean lastResort, boolean low) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Claimed(String keyPackage, boolean lastResort) {
    }

    record JoinRequest(String participantId, String deviceId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Submission(String deviceId, String message, String welcome) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JoinAnswer(String outcome, String groupId, long epoch, Supply keyPackages) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Verdict(String outcome, String groupId, long epoch, long index, String detail) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GroupMessage(long index, String groupId, long epoch, String kind, String message) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GroupView(String groupId, long epoch, int members, boolean open, long nextIndex) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Problem(String type, String title, int status, String detail) {
    }
}
