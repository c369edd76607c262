package dev.parley.mediarelay.rtcp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NACK (RFC 4585 §6.2.1), PLI (§6.3.1) and FIR (RFC 5104 §4.3.1). */
class FeedbackTest {

    @Test
    void packsLostSequenceNumbersIntoPidAndBitmask() {
        byte[] nack = new GenericNack(1, 2, List.of(100, 101, 116, 117)).toBytes();

        assertThat(nack).isEqualTo(new byte[] {
                (byte) 0x81, (byte) 205, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2,
                0, 100, (byte) 0x80, 0x01,  // 100 with 101 (bit 0) and 116 (bit 15)
                0, 117, 0, 0});
    }

    @Test
    void nackRoundTripsAcrossTheSequenceNumberWrap() throws Exception {
        GenericNack nack = new GenericNack(1, 0xFFFF_FFFEL, List.of(65534, 65535, 0, 3, 40, 9000));

        byte[] bytes = nack.toBytes();

        assertThat(bytes.length).isEqualTo(12 + 3 * 4);
        assertThat(GenericNack.parse(RtcpCompound.parse(bytes, 0, bytes.length).get(0))).isEqualTo(nack);
    }

    @Test
    void readsABrowsersNack() throws Exception {
        byte[] nack = {(byte) 0x81, (byte) 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, (byte) 0xFF, (byte) 0xFF, 0, 0x05};

        GenericNack parsed = GenericNack.parse(RtcpCompound.parse(nack, 0, nack.length).get(0));

        assertThat(parsed.mediaSsrc()).isEqualTo(2);
        assertThat(parsed.lostSequenceNumbers()).containsExactly(65535, 0, 2);
    }

    @Test
    void aNackWithoutPairsIsMalformed() throws Exception {
        byte[] nack = {(byte) 0x81, (byte) 205, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2};
        RtcpPacket packet = RtcpCompound.parse(nack, 0, nack.length).get(0);

        assertThatThrownBy(() -> GenericNack.parse(packet)).isInstanceOf(MalformedRtcpException.class);
        assertThatThrownBy(() -> new GenericNack(1, 2, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GenericNack(1, 2, List.of(65536))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pliIsTheHeaderAndTwoSsrcs() throws Exception {
        PictureLossIndication pli = new PictureLossIndication(0x11223344L, 0xAABBCCDDL);

        byte[] bytes = pli.toBytes();

        assertThat(bytes).isEqualTo(new byte[] {(byte) 0x81, (byte) 206, 0, 2, 0x11, 0x22, 0x33, 0x44,
                (byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD});
        assertThat(PictureLossIndication.parse(RtcpCompound.parse(bytes, 0, bytes.length).get(0))).isEqualTo(pli);
    }

    @Test
    void aPliWithFciIsMalformed() throws Exception {
        byte[] pli = {(byte) 0x81, (byte) 206, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0};
        RtcpPacket packet = RtcpCompound.parse(pli, 0, pli.length).get(0);

        assertThatThrownBy(() -> PictureLossIndication.parse(packet)).isInstanceOf(MalformedRtcpException.class);
    }

    @Test
    void firNamesItsTargetInTheFciWithAZeroMediaSsrc() throws Exception {
        FullIntraRequest fir = FullIntraRequest.of(1, 0xAABBCCDDL, 255);

        byte[] bytes = fir.toBytes();

        assertThat(bytes).isEqualTo(new byte[] {(byte) 0x84, (byte) 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0,
                (byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD, (byte) 0xFF, 0, 0, 0});
        assertThat(FullIntraRequest.parse(RtcpCompound.parse(bytes, 0, bytes.length).get(0))).isEqualTo(fir);
    }

    @Test
    void firWithSeveralEntriesRoundTripsAndOneWithAPartialEntryIsMalformed() throws Exception {
        FullIntraRequest fir = new FullIntraRequest(9, List.of(new FullIntraRequest.Entry(1, 0),
                new FullIntraRequest.Entry(2, 17)));
        byte[] bytes = fir.toBytes();
        byte[] partial = RtcpCompoundTest.concat(FullIntraRequest.of(1, 2, 3).toBytes(), new byte[4]);
        partial[3] += 1;
        RtcpPacket partialPacket = RtcpCompound.parse(partial, 0, partial.length).get(0);

        assertThat(FullIntraRequest.parse(RtcpCompound.parse(bytes, 0, bytes.length).get(0))).isEqualTo(fir);
        assertThatThrownBy(() -> FullIntraRequest.parse(partialPacket)).isInstanceOf(MalformedRtcpException.class);
        assertThatThrownBy(() -> FullIntraRequest.of(1, 2, 256)).isInstanceOf(IllegalArgumentException.class);
    }
}
