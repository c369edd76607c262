package dev.parley.mediarelay.simulcast;

import dev.parley.mediarelay.session.RenderedSize;

import java.util.List;

/**
 * The stream one slot should forward, and what it costs of the subscriber's budget.
 *
 * @param layer the stream's index among the track's streams (lowest first), or {@link LayerSwitch#PAUSED}
 * @param cost  its bit rate, in bit/s
 */
public record LayerChoice(int layer, long cost) {

    /** A stream as the relay receives it: its bit rate (0: not arriving) and its last keyframe's size. */
    public record Layer(long bitrate, int width, int height) {
        public static final Layer ABSENT = new Layer(0, 0, 0);

        boolean arriving() {
            return bitrate > 0;
        }
    }

    /** Going up a stream needs this much more room than its rate, so a rate at the edge does not flap. */
    static final double UPGRADE_MARGIN = 1.15;

    /**
     * Chooses among a track's {@code layers} (lowest first; one for a track without simulcast) with
     * {@code budget} bit/s left, the client rendering it at {@code rendered} (null: not said),
     * forwarding {@code current} now:
     * <ul>
     *   <li>not rendered (0×0): paused;</li>
     *   <li>one stream: that stream, whatever the budget (there is nothing lower to fall back on);</li>
     *   <li>else the best arriving stream no larger than needed for the rendered size (the smallest
     *       whose keyframes are at least that large) whose rate fits the budget; a stream above
     *       the current one must fit with {@link #UPGRADE_MARGIN} to spare;</li>
     *   <li>nothing fits: the lowest arriving stream (the picture goes on, at its lowest);</li>
     *   <li>nothing arrives yet: the best stream, awaited.</li>
     * </ul>
     */
    public static LayerChoice choose(List<Layer> layers, long budget, RenderedSize rendered, int current) {
        if (rendered != null && !rendered.shown()) {
            return new LayerChoice(LayerSwitch.PAUSED, 0);
        }
        if (layers.size() == 1) {
            return new LayerChoice(0, layers.get(0).bitrate());
        }
        int cap = layers.size() - 1;
        if (rendered != null) {
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                if (layer.arriving() && layer.width() >= rendered.width() && layer.height() >= rendered.height()) {
                    cap = i;
                    break;
                }
            }
        }
        int best = LayerSwitch.PAUSED;
        int lowest = LayerSwitch.PAUSED;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (!layer.arriving()) {
                continue;
            }
            if (lowest == LayerSwitch.PAUSED) {
                lowest = i;
            }
            double needed = i > current ? layer.bitrate() * UPGRADE_MARGIN : layer.bitrate();
            if (i <= cap && needed <= budget) {
                best = i;
            }
        }
        if (best == LayerSwitch.PAUSED) {
            best = lowest == LayerSwitch.PAUSED ? cap : lowest;
        }
        return new LayerChoice(best, layers.get(best).bitrate());
    }
}
