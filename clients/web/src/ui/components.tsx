import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon, type IconName } from './icons';
import { avatarHue, initials } from './people';

/** A round icon button with an accessible name and a tooltip (shown on hover and keyboard focus). */
export function IconButton(props: {
  icon: IconName;
  label: string;
  tip?: string;
  onClick: (event: MouseEvent) => void;
  pressed?: boolean;
  tone?: 'plain' | 'off' | 'danger' | 'active' | 'ghost';
  badge?: number | string | null;
  keys?: string;
  size?: 'normal' | 'small';
  disabled?: boolean;
  id?: string;
  buttonRef?: (element: HTMLButtonElement | null) => void;
  tipPlacement?: 'top' | 'bottom' | 'left';
}) {
  const tone = props.tone ?? 'plain';
  return (
    <button
      type="button"
      id={props.id}
      ref={props.buttonRef}
      class={`icon-button tone-${tone} ${props.size === 'small' ? 'small' : ''}`}
      aria-label={props.label}
      aria-pressed={props.pressed === undefined ? undefined : props.pressed}
      aria-keyshortcuts={props.keys}
      data-tip={props.tip ?? props.label}
      data-tip-placement={props.tipPlacement ?? 'top'}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <Icon name={props.icon} size={props.size === 'small' ? 20 : 24} />
      {props.badge !== undefined && props.badge !== null && props.badge !== 0 && (
        <span class="badge-count" aria-hidden="true">{props.badge}</span>
      )}
    </button>
  );
}

export function Spinner({ label }: { label?: string }) {
  return <span class="spinner" role={label ? 'status' : undefined} aria-label={label} />;
}

export function Avatar({ name, seed, size }: { name: string; seed: string; size?: number }) {
  const style = { '--hue': String(avatarHue(seed)), ...(size ? { '--size': `${size}px` } : {}) } as JSX.CSSProperties;
  return <span class="avatar" style={style} aria-hidden="true">{initials(name)}</span>;
}

/** "Verified" (signed in with the organisation's SSO) or "Guest" (a name anyone could have typed). */
export function IdentityBadge({ verified }: { verified: boolean }) {
  return verified
    ? <span class="id-badge verified" title="Signed in with SSO: this is their organisation account"><Icon name="check" size={14} /><span class="badge-text">Verified</span></span>
    : <span class="id-badge guest" title="A guest: the name was typed by them and is not verified">Guest</span>;
}

/** How long a camera may show no new frame before its tile shows the avatar instead of a frozen picture. */
export const STALL_MS = 2500;

/**
 * Plays a video track. With {@code onStall}, reports when no frame has been shown for
 * {@link STALL_MS} (and when frames come back): packets may still arrive while nothing can be
 * decoded (frames that fail to decrypt are dropped), which the track's `muted` state does not tell.
 */
export function VideoTrack({ track, mirror, fit = 'cover', label, onStall, hidden }: {
  track: MediaStreamTrack; mirror?: boolean; fit?: 'cover' | 'contain'; label?: string;
  onStall?: (stalled: boolean) => void; hidden?: boolean;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) {
      return;
    }
    video.srcObject = new MediaStream([track]);
    video.play().catch(() => undefined);
    return () => {
      video.srcObject = null;
    };
  }, [track]);
  useEffect(() => {
    const video = ref.current;
    if (!video || !onStall || typeof video.requestVideoFrameCallback !== 'function') {
      return;
    }
    let last = performance.now();
    let stalled = false;
    let handle = 0;
    const frame = () => {
      last = performance.now();
      if (stalled) {
        stalled = false;
        onStall(false);
      }
      handle = video.requestVideoFrameCallback(frame);
    };
    handle = video.requestVideoFrameCallback(frame);
    const timer = setInterval(() => {
      if (!stalled && performance.now() - last > STALL_MS) {
        stalled = true;
        onStall(true);
      }
    }, 500);
    return () => {
      clearInterval(timer);
      video.cancelVideoFrameCallback(handle);
      onStall(false);
    };
  }, [track, onStall !== undefined]);
  return (
    <video
      ref={ref}
      class={`video ${mirror ? 'mirror' : ''} fit-${fit} ${hidden ? 'stalled' : ''}`}
      muted
      autoplay
      playsInline
      aria-label={label}
      aria-hidden={label ? undefined : 'true'}
    />
  );
}

/** Remote audio: Chromium decodes received audio only while something plays it. */
export function RemoteAudio({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) {
      return;
    }
    audio.srcObject = new MediaStream([track]);
    audio.play().catch(() => undefined);
    return () => {
      audio.srcObject = null;
    };
  }, [track]);
  return <audio ref={ref} autoplay data-track={track.id} />;
}

/** Whether a track delivers media now: live and not muted (a remote camera that was turned off is muted). */
export function useTrackLive(track: MediaStreamTrack | null): boolean {
  const read = () => track !== null && track.readyState === 'live' && !track.muted;
  const [live, setLive] = useState(read);
  useEffect(() => {
    setLive(read());
    if (!track) {
      return;
    }
    const update = () => setLive(read());
    track.addEventListener('mute', update);
    track.addEventListener('unmute', update);
    track.addEventListener('ended', update);
    return () => {
      track.removeEventListener('mute', update);
      track.removeEventListener('unmute', update);
      track.removeEventListener('ended', update);
    };
  }, [track]);
  return live;
}

/** A microphone level bar from a WebAudio AnalyserNode; updated outside Preact's renders. */
export function LevelMeter({ track, label = 'Microphone level' }: { track: MediaStreamTrack | null; label?: string }) {
  const bar = useRef<HTMLSpanElement>(null);
  const meter = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!track || typeof AudioContext === 'undefined') {
      return;
    }
    const context = new AudioContext();
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    let smoothed = 0;
    let lastAria = 0;
    const tick = (now: number) => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) {
        sum += sample * sample;
      }
      const rms = Math.sqrt(sum / samples.length);
      // speech sits around -40…-10 dBFS: map that range onto the bar
      const db = 20 * Math.log10(rms + 1e-9);
      const level = Math.min(1, Math.max(0, (db + 60) / 50));
      smoothed = Math.max(level, smoothed * 0.85);
      if (bar.current) {
        bar.current.style.transform = `scaleX(${smoothed.toFixed(3)})`;
      }
      if (meter.current && now - lastAria > 500) {
        lastAria = now;
        meter.current.setAttribute('aria-valuenow', String(Math.round(smoothed * 100)));
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    if (context.state === 'suspended') {
      void context.resume().catch(() => undefined);
    }
    return () => {
      cancelAnimationFrame(frame);
      source.disconnect();
      void context.close();
    };
  }, [track]);
  return (
    <span ref={meter} class="level-meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={0}>
      <span ref={bar} class="level-bar" />
    </span>
  );
}

/** A modal dialog (native `<dialog>`: focus is trapped and Escape closes it). */
export function Dialog({ open, title, onClose, children, wide }: {
  open: boolean; title: string; onClose: () => void; children: ComponentChildren; wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) {
      return;
    }
    if (open && !dialog.open) {
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);
  const titleId = `dialog-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog ref={ref} class={`dialog ${wide ? 'wide' : ''}`} aria-labelledby={titleId} onClose={onClose}
      onCancel={(event) => { event.preventDefault(); onClose(); }}>
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <IconButton icon="close" label="Close" tone="ghost" size="small" onClick={onClose} tipPlacement="left" />
      </div>
      {open && children}
    </dialog>
  );
}

export function ConfirmDialog({ open, title, message, confirm, onConfirm, onClose }: {
  open: boolean; title: string; message: string; confirm: string; onConfirm: () => void; onClose: () => void;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <p class="dialog-text">{message}</p>
      <div class="dialog-actions">
        <button type="button" class="button secondary" onClick={onClose}>Cancel</button>
        <button type="button" class="button danger" onClick={() => { onConfirm(); onClose(); }}>{confirm}</button>
      </div>
    </Dialog>
  );
}

/** Copies {@code text}; falls back to a selected textarea where the async clipboard is not allowed. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** A read-only link with a copy button that says when it copied. */
export function CopyField({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!copied) {
      return;
    }
    const timer = setTimeout(() => setCopied(false), 2500);
    return () => clearTimeout(timer);
  }, [copied]);
  const id = `copy-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div class="copy-field">
      <label class="visually-hidden" for={id}>{label}</label>
      <input id={id} class="input mono" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" class="button secondary copy-button" onClick={async () => {
        const ok = await copyText(value);
        setCopied(ok);
        setFailed(!ok);
      }}>
        <Icon name={copied ? 'check' : 'copy'} size={20} />
        <span>{copied ? 'Copied' : 'Copy link'}</span>
      </button>
      <span class="visually-hidden" role="status">{copied ? 'Link copied to the clipboard' : failed ? 'Copying failed: select the link and copy it' : ''}</span>
    </div>
  );
}

/** A full-page card layout for the screens before and after a call. */
export function Page({ children, header, wide }: { children: ComponentChildren; header?: ComponentChildren; wide?: boolean }) {
  return (
    <div class="page">
      {header}
      <main id="main" class={`page-main ${wide ? 'wide' : ''}`} tabIndex={-1}>{children}</main>
    </div>
  );
}
