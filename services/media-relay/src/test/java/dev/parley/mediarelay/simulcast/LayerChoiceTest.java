package dev.parley.mediarelay.simulcast;

import dev.parley.mediarelay.session.RenderedSize;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LayerChoiceTest {

    private static final List<LayerChoice.Layer> CAMERA = List.of(new LayerChoice.Layer(120_000, 160, 120),
            new LayerChoice.Layer(400_000, 320, 240), new LayerChoice.Layer(1_100_000, 640, 480));

    @Test
    void theBestStreamThatFitsTheBudget() {
        assertThat(LayerChoice.choose(CAMERA, 5_000_000, null, 2).layer()).isEqualTo(2);
        assertThat(LayerChoice.choose(CAMERA, 600_000, null, 2).layer()).isEqualTo(1);
        assertThat(LayerChoice.choose(CAMERA, 200_000, null, 1).layer()).isZero();
        assertThat(LayerChoice.choose(CAMERA, 10_000, null, 0)).as("nothing fits: the lowest goes on")
                .isEqualTo(new LayerChoice(0, 120_000));
    }

    @Test
    void goingUpNeedsRoomToSpare() {
        assertThat(LayerChoice.choose(CAMERA, 420_000, null, 1).layer()).as("stays").isEqualTo(1);
        assertThat(LayerChoice.choose(CAMERA, 420_000, null, 0).layer()).as("does not go up yet").isZero();
        assertThat(LayerChoice.choose(CAMERA, 470_000, null, 0).layer()).isEqualTo(1);
    }

    @Test
    void noLargerThanRenderedAndPausedWhenNotRendered() {
        assertThat(LayerChoice.choose(CAMERA, 5_000_000, new RenderedSize(300, 200), 2).layer()).isEqualTo(1);
        assertThat(LayerChoice.choose(CAMERA, 5_000_000, new RenderedSize(100, 80), 2).layer()).isZero();
        assertThat(LayerChoice.choose(CAMERA, 5_000_000, new RenderedSize(1280, 720), 0).layer()).isEqualTo(2);
        assertThat(LayerChoice.choose(CAMERA, 5_000_000, new RenderedSize(0, 0), 2).layer())
                .isEqualTo(LayerSwitch.PAUSED);
    }

    @Test
    void streamsNotArrivingAreSkippedAndASingleStreamIsAlwaysSent() {
        List<LayerChoice.Layer> topMissing = List.of(CAMERA.get(0), CAMERA.get(1), LayerChoice.Layer.ABSENT);
        assertThat(LayerChoice.choose(topMissing, 5_000_000, null, 2).layer()).isEqualTo(1);
        assertThat(LayerChoice.choose(List.of(LayerChoice.Layer.ABSENT, LayerChoice.Layer.ABSENT), 1, null, -1).layer())
                .as("nothing arrives yet: the best is awaited").isEqualTo(1);
        assertThat(LayerChoice.choose(List.of(new LayerChoice.Layer(2_000_000, 0, 0)), 100_000, null, 0).layer()).isZero();
    }
}
