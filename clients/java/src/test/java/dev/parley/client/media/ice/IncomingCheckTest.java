package dev.parley.client.media.ice;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Answering a full ICE peer's checks: RFC 5769's sample request, and round trips through our own codec. */
class IncomingCheckTest {

    /** RFC 5769 §2.1: USERNAME "evtj:h6vY", ICE-CONTROLLED, signed with this password. */
    private static final byte[] SAMPLE_REQUEST = HexFormat.of().parseHex((""
            + "00010058 2112a442 b7e7a701 bc34d686 fa87dfae"
            + "80220010 5354554e 20746573 7420636c 69656e74"
            + "00240004 6e0001ff"
            + "80290008 932ff9b1 51263b36"
            + "00060009 6576746a 3a683676 59202020"
            + "00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2"
            + "80280004 e57a3bcf").replace(" ", ""));
    private static final IceCredentials SAMPLE_RECEIVER = new IceCredentials("evtj", "VOkJxbRl1RmTxUk/WvJxBt");
    private static final IceCredentials SAMPLE_SENDER = new IceCredentials("h6vY", "someOtherPasswordOf22ch");

    private static final IceCredentials OURS = new IceCredentials("ours", "ourPasswordIsLongEnough1");
    private static final IceCredentials THEIRS = new IceCredentials("rWW0", "WZjpqFzD9ec1n6qaXVIb8h");
    private static final InetSocketAddress PEER = new InetSocketAddress("10.213.0.2", 39998);

    @Test
    void theRfc5769SampleRequestIsAcceptedAsACheckFromAControlledAgent() {
        IncomingCheck check = IncomingCheck.decode(SAMPLE_REQUEST, SAMPLE_REQUEST.length, SAMPLE_RECEIVER, SAMPLE_SENDER)
                .orElseThrow();
        assertThat(check.senderRole()).contains(IceRole.CONTROLLED);
        assertThat(check.useCandidate()).isFalse();
        assertThat(HexFormat.of().formatHex(check.transactionId())).isEqualTo("b7e7a701bc34d686fa87dfae");
    }

    @Test
    void aNominatingCheckIsAnsweredWithAnAuthenticSuccessCarryingTheSourceAddress() {
        byte[] id = HexFormat.of().parseHex("0102030405060708090a0b0c");
        // Janus checks us: USERNAME <our ufrag>:<its ufrag>, signed with our password
        byte[] request = BindingRequest.encode(id, OURS.ufrag() + ":" + THEIRS.ufrag(), OURS.password(), 12345,
                IceRole.CONTROLLING, 42, true).bytes();
        IncomingCheck check = IncomingCheck.decode(request, request.length, OURS, THEIRS).orElseThrow();
        assertThat(check.useCandidate()).isTrue();
        assertThat(check.senderRole()).contains(IceRole.CONTROLLING);

        byte[] success = check.success(PEER, OURS.password());
        BindingResponse response = BindingResponse.decode(success, success.length).orElseThrow();
        assertThat(response.isSuccess()).isTrue();
        assertThat(response.transactionId()).isEqualTo(id);
        assertThat(response.integrityValid(OURS.password())).isTrue();
        assertThat(response.integrityValid(THEIRS.password())).isFalse();
        assertThat(response.mappedAddress()).contains(PEER);
    }

    @Test
    void checksSignedWithAnotherPasswordOrForAnotherUsernameAreNotAnswered() {
        byte[] id = new byte[12];
        byte[] wrongKey = BindingRequest.encode(id, OURS.ufrag() + ":" + THEIRS.ufrag(), THEIRS.password(), 1,
                IceRole.CONTROLLING, 1, false).bytes();
        byte[] wrongUser = BindingRequest.encode(id, "else:" + THEIRS.ufrag(), OURS.password(), 1,
                IceRole.CONTROLLING, 1, false).bytes();
        assertThat(IncomingCheck.decode(wrongKey, wrongKey.length, OURS, THEIRS)).isEmpty();
        assertThat(IncomingCheck.decode(wrongUser, wrongUser.length, OURS, THEIRS)).isEmpty();
    }

    @Test
    void aBrokenFingerprintATruncatedMessageOrAResponseIsNotACheck() {
        byte[] request = BindingRequest.encode(new byte[12], OURS.ufrag() + ":" + THEIRS.ufrag(), OURS.password(), 1,
                IceRole.CONTROLLED, 1, false).bytes();
        assertThat(IncomingCheck.decode(request, request.length, OURS, THEIRS)).isPresent();
        byte[] flipped = request.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThat(IncomingCheck.decode(flipped, flipped.length, OURS, THEIRS)).isEmpty();
        assertThat(IncomingCheck.decode(request, request.length - 4, OURS, THEIRS)).isEmpty();
        byte[] response = IncomingCheck.decode(request, request.length, OURS, THEIRS).orElseThrow()
                .success(PEER, OURS.password());
        assertThat(IncomingCheck.decode(response, response.length, OURS, THEIRS)).isEmpty();
        assertThat(IncomingCheck.decode(new byte[3], 3, OURS, THEIRS)).isEmpty();
    }

    @Test
    void onlyTheControllingAgentMayNominate() {
        assertThatThrownBy(() -> BindingRequest.encode(new byte[12], "a:b", OURS.password(), 1, IceRole.CONTROLLED, 1, true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
