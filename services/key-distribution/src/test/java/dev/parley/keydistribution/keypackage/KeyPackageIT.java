package dev.parley.keydistribution.keypackage;

import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.kd.KeyDistributionException;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.CredentialChain;
import dev.parley.keydistribution.mls.MlsDecoder;
import dev.parley.keydistribution.mls.X509Credential;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.TreeKEM.LifeTime;
import org.bouncycastle.mls.codec.Capabilities;
import org.bouncycastle.mls.codec.Credential;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.crypto.MlsCipherSuite;
import dev.parley.keydistribution.CallFixture;
import dev.parley.testing.DemoUser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.parley.client.kd.KeyDistributionClient.decode;
import static dev.parley.client.kd.KeyDistributionClient.encode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** KeyPackages are published in batches and each is handed out exactly once; the last resort never runs out. */
@QuarkusTest
class KeyPackageIT {

    @TestHTTPResource("/")
    URI base;

    private CallFixture calls;

    @BeforeEach
    void open() {
        calls = new CallFixture(base);
    }

    @AfterEach
    void close() {
        calls.close();
    }

    @Test
    void claimsTakeEachKeyPackageOnceThenTheLastResort() {
        CallFixture.RegisteredDevice device = calls.device(calls.person(DemoUser.ALICE));
        KeyDistributionClient alice = device.person().client();
        List<byte[]> published = keyPackages(device, 3);
        byte[] lastResort = keyPackages(device, 1).get(0);

        Wire.Supply supply = alice.upload(device.device().deviceId(), published, Optional.of(lastResort));

        assertThat(supply).isEqualTo(new Wire.Supply(3, true, true));
        KeyDistributionClient bob = calls.person(DemoUser.BOB).client();
        Set<String> claimed = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Wire.Claimed claim = bob.claim(device.device().deviceId());
            assertThat(claim.lastResort()).isFalse();
            claimed.add(claim.keyPackage());
        }
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(published.stream().map(KeyDistributionClient::encode).toList());
        for (int i = 0; i < 2; i++) {
            Wire.Claimed claim = bob.claim(device.device().deviceId());
            assertThat(claim.lastResort()).isTrue();
            assertThat(claim.keyPackage()).isEqualTo(encode(lastResort));
        }
        assertThat(alice.supply(device.device().deviceId())).isEqualTo(new Wire.Supply(0, true, true));
    }

    @Test
    void concurrentClaimsGetDistinctKeyPackages() throws Exception {
        CallFixture.RegisteredDevice device = calls.device(calls.person(DemoUser.BOB));
        List<byte[]> published = keyPackages(device, 12);
        device.person().client().upload(device.device().deviceId(), published, Optional.empty());
        KeyDistributionClient claimer = calls.person(DemoUser.CAROL).client();
        List<Callable<Optional<String>>> claims = Collections.nCopies(20, () -> {
            try {
                return Optional.of(claimer.claim(device.device().deviceId()).keyPackage());
            } catch (KeyDistributionException e) {
                assertThat(e.problem()).isEqualTo("no-key-package");
                return Optional.empty();
            }
        });

        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<String> got = new ArrayList<>();
        try {
            for (Future<Optional<String>> claim : pool.invokeAll(claims)) {
                claim.get().ifPresent(got::add);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(got).hasSize(12).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(published.stream().map(KeyDistributionClient::encode).toList());
    }

    @Test
    void aKeyPackageMustBeSignedByTheDeviceAndCarryItsCredential() {
        CallFixture.RegisteredDevice device = calls.device(calls.person(DemoUser.ALICE));
        CallFixture.RegisteredDevice other = calls.device(calls.person(DemoUser.ALICE));
        String deviceId = device.device().deviceId();
        String token = device.person().token();

        Map<String, byte[]> bad = Map.of(
                "signed by another key", signedByAnotherKey(device.device().credential()),
                "another device's KeyPackage", other.keys().newKeyPackage(other.device().credential()).message(),
                "trailing bytes", Arrays.copyOf(keyPackages(device, 1).get(0), keyPackages(device, 1).get(0).length + 1),
                "garbage", new byte[]{0, 1, 0, 5, 7, 7, 7},
                "a huge declared length", new byte[]{0, 1, 0, 5, 0, 1, 0, 32, (byte) 0xbf, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                "oversized", new byte[9000]);
        bad.forEach((what, bytes) -> given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("keyPackages", List.of(encode(bytes))))
                .when().post("/api/v1/devices/" + deviceId + "/key-packages")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/invalid-key-package"))
                .body("detail", startsWith("keyPackages[0]: ")));
        assertThat(device.person().client().supply(deviceId).available()).isZero();
    }

    @Test
    void onlyTheOwnerPublishesAndTheSupplyIsCapped() {
        CallFixture.RegisteredDevice device = calls.device(calls.person(DemoUser.ALICE));
        String deviceId = device.device().deviceId();
        KeyDistributionClient bob = calls.person(DemoUser.BOB).client();

        assertThatThrownBy(() -> bob.upload(deviceId, keyPackages(device, 1), Optional.empty()))
                .isInstanceOfSatisfying(KeyDistributionException.class, e -> assertThat(e.problem()).isEqualTo("not-your-device"));
        assertThatThrownBy(() -> device.person().client().upload(deviceId, Collections.nCopies(101, new byte[1]), Optional.empty()))
                .isInstanceOfSatisfying(KeyDistributionException.class, e -> assertThat(e.status()).isEqualTo(413));
        device.person().client().upload(deviceId, keyPackages(device, 20), Optional.empty());
        assertThatThrownBy(() -> device.person().client().upload(deviceId, keyPackages(device, 1), Optional.empty()))
                .isInstanceOfSatisfying(KeyDistributionException.class, e -> assertThat(e.problem()).isEqualTo("too-many-key-packages"));
        assertThat(device.person().client().supply(deviceId)).isEqualTo(new Wire.Supply(20, false, false));
        assertThatThrownBy(() -> bob.claim("d-aaaaaaaaaaaaaaaaaaaaaaaaaa"))
                .isInstanceOfSatisfying(KeyDistributionException.class, e -> assertThat(e.status()).isEqualTo(404));
        CallFixture.RegisteredDevice empty = calls.device(calls.person(DemoUser.CAROL));
        assertThatThrownBy(() -> bob.claim(empty.device().deviceId()))
                .isInstanceOfSatisfying(KeyDistributionException.class, e -> assertThat(e.problem()).isEqualTo("no-key-package"));
    }

    static List<byte[]> keyPackages(CallFixture.RegisteredDevice device, int count) {
        List<byte[]> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            made.add(device.keys().newKeyPackage(device.device().credential()).message());
        }
        return made;
    }

    /** A KeyPackage carrying the device's credential, but whose leaf and signature are another key's. */
    private static byte[] signedByAnotherKey(CredentialChain chain) {
        MlsCipherSuite suite = MlsDecoder.SUITE;
        synchronized (MlsDecoder.LOCK) {
            return forged(suite, chain);
        }
    }

    private static byte[] forged(MlsCipherSuite suite, CredentialChain chain) {
        try {
            AsymmetricCipherKeyPair signing = suite.generateSignatureKeyPair();
            byte[] signingKey = suite.serializeSignaturePrivateKey(signing.getPrivate());
            Credential credential = (Credential) MLSInputStream.decode(X509Credential.encode(chain.certificates()), Credential.class);
            LeafNode leaf = new LeafNode(suite, suite.getHPKE().serializePublicKey(suite.getHPKE().generatePrivateKey().getPublic()),
                    suite.serializeSignaturePublicKey(signing.getPublic()), credential, new Capabilities(), new LifeTime(),
                    List.of(), signingKey);
            KeyPackage keyPackage = new KeyPackage(suite, suite.getHPKE().serializePublicKey(suite.getHPKE().generatePrivateKey().getPublic()),
                    leaf, List.of(), signingKey);
            return MLSOutputStream.encode(MLSMessage.keyPackage(keyPackage));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
