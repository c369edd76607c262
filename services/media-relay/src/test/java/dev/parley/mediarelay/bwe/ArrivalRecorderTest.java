package dev.parley.mediarelay.bwe;

import dev.parley.mediarelay.rtcp.RtcpCompound;
import dev.parley.mediarelay.rtcp.TransportFeedback;
import dev.parley.mediarelay.rtcp.TransportFeedbackReport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArrivalRecorderTest {

    private static TransportFeedback read(TransportFeedbackReport report) throws Exception {
        byte[] bytes = report.toBytes();
        return TransportFeedback.parse(RtcpCompound.parse(bytes, 0, bytes.length).get(0));
    }

    @Test
    void reportsEachRangeOnceWithGapsAsLostAndIgnoresWhatCameTooLate() throws Exception {
        ArrivalRecorder recorder = new ArrivalRecorder();
        assertThat(recorder.report(1, 2)).isEmpty();
        recorder.arrived(65_534, 1_000_000);
        recorder.arrived(1, 3_000_000);
        recorder.arrived(65_535, 2_000_000);
        TransportFeedback first = read(recorder.report(1, 2).orElseThrow());
        assertThat(first.baseSequence()).isEqualTo(65_534);
        long[] arrivals = first.arrivalMicros();
        assertThat(arrivals).hasSize(4);
        assertThat(arrivals[2]).as("sequence 0 never came").isEqualTo(TransportFeedback.LOST);
        assertThat(arrivals[1] - arrivals[0]).isEqualTo(1000);
        assertThat(arrivals[3] - arrivals[0]).isEqualTo(2000);
        assertThat(recorder.report(1, 2)).as("nothing new").isEmpty();
        recorder.arrived(0, 4_000_000); // too late: already reported lost
        assertThat(recorder.report(1, 2)).isEmpty();
        recorder.arrived(3, 5_000_000);
        TransportFeedback second = read(recorder.report(1, 2).orElseThrow());
        assertThat(second.baseSequence()).isEqualTo(2);
        assertThat(second.feedbackCount()).isEqualTo(1);
        assertThat(second.arrivalMicros()[0]).isEqualTo(TransportFeedback.LOST);
        assertThat(second.arrivalMicros()[1]).isNotEqualTo(TransportFeedback.LOST);
    }
}
