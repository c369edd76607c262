import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Tile } from '../call/call-state';
import { Avatar, IdentityBadge, useTrackLive, VideoTrack } from './components';
import { Icon } from './icons';
import { bestGrid, pickVisible, tileCapacity } from './layout';

/** The size of an element, kept up to date with a ResizeObserver. */
function useSize<T extends HTMLElement>(): [RefObject<T>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    const observer = new ResizeObserver(([entry]) => {
      const box = entry.contentRect;
      setSize((old) => (Math.round(box.width) === old.width && Math.round(box.height) === old.height ? old
        : { width: Math.round(box.width), height: Math.round(box.height) }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

/** Reports how large `element` shows `track` while it does (and null once it no longer does). */
export type OnRendered = (track: MediaStreamTrack, size: { width: number; height: number } | null) => void;

function useRendered(ref: RefObject<HTMLElement>, track: MediaStreamTrack | null, onRendered?: OnRendered): void {
  useEffect(() => {
    const element = ref.current;
    if (!element || !track || !onRendered || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(([entry]) => {
      onRendered(track, { width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      onRendered(track, null);
    };
  }, [track, onRendered]);
}

function priority(tile: Tile): number {
  return (tile.self ? 16 : 0) + (tile.speaking ? 8 : 0) + (tile.screen ? 4 : 0)
    + (tile.participant.handRaised ? 2 : 0) + (tile.camera ? 1 : 0);
}

export interface StageProps {
  readonly tiles: readonly Tile[];
  readonly microphoneOn: boolean;
  /** This page shares its screen (its own screen is not a tile). */
  readonly presenting: boolean;
  readonly onStopPresenting: () => void;
  /** How large others' cameras and screen shares are shown, so the relay sends no larger (media-layout). */
  readonly onRendered?: OnRendered;
}

/**
 * The call's video: a grid sized so tiles are as large as they fit (1, 2, 2×2, 3×3…), or, while
 * someone shares a screen, the screen large with everyone in a strip beside or below it.
 */
export function Stage({ tiles, microphoneOn, presenting, onStopPresenting, onRendered }: StageProps) {
  const [ref, size] = useSize<HTMLDivElement>();
  const sharing = tiles.find((tile) => tile.screen !== null) ?? null;
  const screenRef = useRef<HTMLDivElement>(null);
  useRendered(screenRef, sharing && !sharing.self ? sharing.screen : null, onRendered);
  const narrow = size.width < 600;
  const gap = narrow ? 6 : 10;

  if (sharing) {
    const portrait = size.height > size.width;
    return (
      <div ref={ref} class={`stage presenting ${portrait ? 'strip-below' : 'strip-right'}`}>
        <div ref={screenRef} class="screen-share" role="group" aria-label={`${sharing.participant.displayName} is presenting`}>
          <VideoTrack track={sharing.screen!} fit="contain" label={`Screen shared by ${sharing.participant.displayName}`} />
          <span class="screen-label"><Icon name="screen" size={18} /> {sharing.participant.displayName} is presenting</span>
        </div>
        <div class="strip" role="list" aria-label="Participants">
          {tiles.map((tile) => (
            <div role="listitem" class="strip-item" key={tile.participant.participantId}>
              <TileView tile={tile} microphoneOn={microphoneOn} compact onRendered={onRendered} />
            </div>
          ))}
        </div>
      </div>
    );
  }

  const capacity = size.width === 0 ? 49 : tileCapacity(size.width, size.height, narrow ? 110 : 180, gap);
  const { shown, hidden } = pickVisible(tiles, capacity, priority);
  const count = shown.length + (hidden > 0 ? 1 : 0);
  const grid = bestGrid(count, size.width, size.height, gap);
  const style = { '--tile-w': `${grid.tileWidth}px`, '--tile-h': `${grid.tileHeight}px`, '--gap': `${gap}px` };
  return (
    <div ref={ref} class="stage">
      {presenting && (
        <div class="presenting-note" role="status">
          <Icon name="screen" size={20} /> You are presenting to everyone
          <button type="button" class="button small secondary" onClick={onStopPresenting}>Stop presenting</button>
        </div>
      )}
      <div class="grid" style={style} role="list" aria-label="Participants' video">
        {size.width > 0 && shown.map((tile) => (
          <div role="listitem" class="grid-item" key={tile.participant.participantId}>
            <TileView tile={tile} microphoneOn={microphoneOn} onRendered={onRendered} />
          </div>
        ))}
        {size.width > 0 && hidden > 0 && (
          <div role="listitem" class="grid-item">
            <div class="tile more-tile"><span>+{hidden}</span><span class="muted small">more in the call</span></div>
          </div>
        )}
      </div>
    </div>
  );
}

/** One person: their video (or avatar), name, Verified/Guest, muted microphone, raised hand. */
export function TileView({ tile, microphoneOn, compact, onRendered }: {
  tile: Tile; microphoneOn: boolean; compact?: boolean; onRendered?: OnRendered;
}) {
  const p = tile.participant;
  const tileRef = useRef<HTMLDivElement>(null);
  // The tile's size is what its camera is shown at, picture or avatar: a tile shown is never paused.
  useRendered(tileRef, tile.self ? null : tile.camera, onRendered);
  const cameraLive = useTrackLive(tile.camera);
  const audioLive = useTrackLive(tile.audio);
  const [stalled, setStalled] = useState(false);
  // Another's camera plays while packets arrive; its picture shows while frames decode (a camera
  // turned off, or frames that cannot be decrypted, show the avatar, never a frozen or broken picture).
  const playVideo = tile.camera !== null && (tile.self || cameraLive);
  const showVideo = playVideo && (tile.self || !stalled);
  const publishesMicrophone = (p.tracks ?? []).some((t) => t.source === 'microphone');
  // Our own state we know; for others, a microphone they do not publish (or that sends nothing) is off.
  // Others tell the call end to end whether their microphone is on; until they have, or when they
  // publish none, what arrives decides.
  const micMuted = tile.self ? !microphoneOn
    : tile.microphoneOn === false || !publishesMicrophone || (tile.microphoneOn === null && tile.audio !== null && !audioLive);
  const name = tile.self ? `${p.displayName} (You)` : p.displayName;
  const description = [name, p.verified ? 'verified' : 'guest', p.role === 'host' ? 'host' : null,
    micMuted ? 'microphone off' : null, p.handRaised ? 'hand raised' : null, tile.speaking ? 'speaking' : null]
    .filter(Boolean).join(', ');
  return (
    <div ref={tileRef} class={`tile ${tile.speaking ? 'speaking' : ''} ${compact ? 'compact' : ''}`} role="group"
      aria-label={description} data-participant={p.participantId} data-self={tile.self ? 'true' : undefined}
      data-video={showVideo ? 'playing' : 'off'}>
      {playVideo && <VideoTrack track={tile.camera!} mirror={tile.self} hidden={!showVideo}
        onStall={tile.self ? undefined : setStalled} />}
      {!showVideo && <div class="tile-avatar"><Avatar name={p.displayName} seed={p.userId} size={compact ? 48 : 88} /></div>}
      {p.handRaised && <span class="tile-hand" title="Hand raised"><Icon name="hand" size={compact ? 18 : 22} /></span>}
      <div class="tile-footer">
        {micMuted && <span class="tile-muted" title="Microphone off"><Icon name="micOff" size={16} /></span>}
        <span class="tile-name">{name}</span>
        {!compact && <IdentityBadge verified={p.verified} />}
      </div>
    </div>
  );
}
