/** How large a track is rendered, in device pixels; 0×0 when it is not shown. */
export interface RenderedSize {
  readonly width: number;
  readonly height: number;
}

/** What `media-layout` carries: rendered sizes by the mid of each receiving section. */
export type MediaLayout = Record<string, RenderedSize>;

const DEBOUNCE_MS = 300;
/** How soon a layout that could not go (the call's socket is reconnecting) is tried again. */
const RETRY_MS = 1000;

const NOT_SHOWN: RenderedSize = { width: 0, height: 0 };

/**
 * Collects how large the UI renders each received video track and tells the relay, through
 * signaling's `media-layout` (docs/protocol.md), by the mid of the section that carries it: the
 * relay then forwards no larger a simulcast stream than that, and pauses a track shown nowhere
 * (0×0). Sizes settle for {@link DEBOUNCE_MS} before a message goes (a window being resized sends
 * one, not hundreds); a message identical to the last one is not sent again, unless the relay may
 * have lost it (a new answer, {@link resend}); one that cannot go (the call's socket is
 * reconnecting) is tried again every {@link RETRY_MS}. While the page is hidden (a minimised
 * window, a tab in the background: the Page Visibility API's `hidden`), no tile is seen, so every
 * track is reported 0×0; shown again, the sizes go at once, without waiting for them to settle.
 */
export class LayoutReporter {
  private readonly sizes = new Map<MediaStreamTrack, RenderedSize>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = '';
  private pageHidden = false;

  constructor(
    /** The mid of the receiving section that carries a track, if it is one. */
    private readonly midOf: (track: MediaStreamTrack) => string | null,
    private readonly send: (layout: MediaLayout) => void,
  ) {}

  /** The UI shows `track` at this size (CSS pixels; scaled to device pixels), or no longer (null: 0×0). */
  rendered(track: MediaStreamTrack, size: RenderedSize | null, pixelRatio = 1): void {
    const scaled = size === null ? { width: 0, height: 0 }
      : { width: Math.round(size.width * pixelRatio), height: Math.round(size.height * pixelRatio) };
    const old = this.sizes.get(track);
    if (old && old.width === scaled.width && old.height === scaled.height) {
      return;
    }
    this.sizes.set(track, scaled);
    this.schedule();
  }

  /** The relay answered an offer (it may be a new session): send the layout again. */
  resend(): void {
    this.last = '';
    this.schedule();
  }

  /** The page was hidden (true) or shown again (false). */
  setPageHidden(hidden: boolean): void {
    if (hidden === this.pageHidden) {
      return;
    }
    this.pageHidden = hidden;
    this.schedule(hidden ? DEBOUNCE_MS : 0);
  }

  close(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** The layout as it stands: every track the UI reported that a receiving section carries. */
  layout(): MediaLayout {
    const layout: MediaLayout = {};
    for (const [track, size] of this.sizes) {
      const mid = this.midOf(track);
      if (mid !== null) {
        layout[mid] = this.pageHidden ? NOT_SHOWN : size;
      }
    }
    return layout;
  }

  private schedule(delay = DEBOUNCE_MS): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      const layout = this.layout();
      const text = JSON.stringify(layout);
      if (Object.keys(layout).length > 0 && text !== this.last) {
        try {
          this.send(layout);
          this.last = text;
        } catch (error) {
          // The call's socket is down and reconnects by itself: the relay still needs this layout.
          console.warn('media-layout could not be sent; trying again', error);
          this.schedule(RETRY_MS);
        }
      }
    }, delay);
  }
}
