import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LayoutReporter, type MediaLayout } from '../../src/call/layout-reporter';

const track = (id: string) => ({ id }) as unknown as MediaStreamTrack;

describe('LayoutReporter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setUp = () => {
    const mids = new Map<MediaStreamTrack, string>();
    const sent: MediaLayout[] = [];
    const reporter = new LayoutReporter((t) => mids.get(t) ?? null, (layout) => sent.push(layout));
    return { mids, sent, reporter };
  };

  it('sends the settled sizes by mid in device pixels, once', () => {
    const { mids, sent, reporter } = setUp();
    const camera = track('camera');
    mids.set(camera, '3');
    reporter.rendered(camera, { width: 100, height: 50 });
    reporter.rendered(camera, { width: 320.4, height: 180.2 }, 2);
    vi.advanceTimersByTime(299);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ 3: { width: 641, height: 360 } }]);
    reporter.rendered(camera, { width: 320.4, height: 180.2 }, 2);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(1);
  });

  it('reports a track no longer shown as 0x0, and leaves out tracks no section carries', () => {
    const { mids, sent, reporter } = setUp();
    const shown = track('a');
    const stranger = track('b');
    mids.set(shown, '3');
    reporter.rendered(shown, { width: 640, height: 360 });
    reporter.rendered(stranger, { width: 10, height: 10 });
    vi.advanceTimersByTime(300);
    reporter.rendered(shown, null);
    vi.advanceTimersByTime(300);
    expect(sent).toEqual([{ 3: { width: 640, height: 360 } }, { 3: { width: 0, height: 0 } }]);
  });

  it('sends the same layout again after a new answer, and nothing while no track is known', () => {
    const { mids, sent, reporter } = setUp();
    reporter.resend();
    vi.advanceTimersByTime(300);
    expect(sent).toEqual([]);
    const camera = track('c');
    mids.set(camera, '5');
    reporter.rendered(camera, { width: 160, height: 90 });
    vi.advanceTimersByTime(300);
    reporter.resend();
    vi.advanceTimersByTime(300);
    expect(sent).toEqual([{ 5: { width: 160, height: 90 } }, { 5: { width: 160, height: 90 } }]);
  });

  it('reports every track 0x0 while the page is hidden, and the sizes again at once when it is shown', () => {
    const { mids, sent, reporter } = setUp();
    const a = track('a');
    const b = track('b');
    mids.set(a, '3');
    mids.set(b, '5');
    reporter.rendered(a, { width: 640, height: 360 });
    reporter.rendered(b, { width: 320, height: 180 });
    vi.advanceTimersByTime(300);
    reporter.setPageHidden(true);
    reporter.setPageHidden(true);
    vi.advanceTimersByTime(299);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent[1]).toEqual({ 3: { width: 0, height: 0 }, 5: { width: 0, height: 0 } });
    // Tiles keep resizing behind a hidden page: still nothing shown.
    reporter.rendered(a, { width: 100, height: 50 });
    vi.advanceTimersByTime(300);
    expect(sent).toHaveLength(2);
    reporter.setPageHidden(false);
    vi.advanceTimersByTime(0);
    expect(sent[2]).toEqual({ 3: { width: 100, height: 50 }, 5: { width: 320, height: 180 } });
  });

  it('tries a layout that could not be sent (the socket is reconnecting) again until it goes', () => {
    const mids = new Map<MediaStreamTrack, string>();
    const sent: MediaLayout[] = [];
    let connected = false;
    const reporter = new LayoutReporter((t) => mids.get(t) ?? null, (layout) => {
      if (!connected) {
        throw new Error('not connected');
      }
      sent.push(layout);
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const camera = track('camera');
    mids.set(camera, '3');
    reporter.rendered(camera, { width: 640, height: 360 });
    vi.advanceTimersByTime(300 + 1000);
    expect(sent).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
    connected = true;
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([{ 3: { width: 640, height: 360 } }]);
    vi.advanceTimersByTime(5000);
    expect(sent).toHaveLength(1);
    warn.mockRestore();
  });
});
