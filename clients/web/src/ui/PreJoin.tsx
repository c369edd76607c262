import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { redeemAsGuest, redeemAsUser, type Identity } from '../auth/session';
import { LocalMedia, listDevices } from '../call/local-media';
import { getRoom } from './api';
import { Avatar, IconButton, IdentityBadge, LevelMeter, Page, Spinner, VideoTrack } from './components';
import { Header } from './Header';
import { Icon } from './icons';
import type { AppModel } from './model';
import { shortcutFor, withKeys } from './shortcuts';
import { devicePreferences, guestFor, keepDevicePreferences, keepGuest, lastGuestName } from './storage';

export type PreJoinMode = { readonly kind: 'invite'; readonly code: string } | { readonly kind: 'room'; readonly roomId: string };

interface Devices {
  readonly microphones: MediaDeviceInfo[];
  readonly cameras: MediaDeviceInfo[];
}

/** Why the browser gave no camera or microphone, in words. */
function mediaProblem(error: unknown): string {
  const name = (error as DOMException)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Parley may not use your camera and microphone. Allow them in the browser’s address bar, then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera or microphone was found.';
    case 'NotReadableError':
      return 'Your camera or microphone is in use by another app.';
    default:
      return 'Your camera and microphone could not be started.';
  }
}

/**
 * The screen before a call: a camera preview, a microphone level meter, device choice, mic and
 * camera toggles, your name, and "Join now". Opened from an invite link (redeemed on "Join", as a
 * guest with the typed name or as the signed-in user) or for a room this tab may already enter.
 */
export function PreJoin({ model, mode, autoJoin }: { model: AppModel; mode: PreJoinMode; autoJoin?: boolean }) {
  const user = model.user.value;
  const storedGuest = mode.kind === 'room' ? guestFor(mode.roomId) : null;
  const identity: Identity | null = storedGuest ?? user;
  const needsName = mode.kind === 'invite' && user === null;
  const knownRoomId = mode.kind === 'room' ? mode.roomId : null;

  const local = useRef<LocalMedia | null>(null);
  const handedOver = useRef(false);
  const [microphone, setMicrophoneTrack] = useState<MediaStreamTrack | null>(null);
  const [camera, setCameraTrack] = useState<MediaStreamTrack | null>(null);
  const [preferences, setPreferences] = useState(devicePreferences);
  const [devices, setDevices] = useState<Devices>({ microphones: [], cameras: [] });
  const [mediaState, setMediaState] = useState<'opening' | 'ready' | 'failed'>('opening');
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [name, setName] = useState(lastGuestName);
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [roomName, setRoomName] = useState<string | null>(null);
  const [roomEnded, setRoomEnded] = useState(false);
  const autoJoined = useRef(false);
  const nameInput = useRef<HTMLInputElement>(null);

  function sync() {
    setMicrophoneTrack(local.current?.microphoneTrack ?? null);
    setCameraTrack(local.current?.cameraTrack ?? null);
  }

  async function openMedia() {
    const media = local.current ?? new LocalMedia();
    local.current = media;
    setMediaState('opening');
    setMediaError(null);
    const wanted = devicePreferences();
    try {
      try {
        await media.open(wanted.microphoneId, wanted.cameraId);
      } catch (error) {
        if (!wanted.microphoneId && !wanted.cameraId) {
          throw error;
        }
        await media.open(); // the remembered devices are gone: the defaults then
      }
      media.setMicrophone(wanted.microphoneOn);
      if (!wanted.cameraOn) {
        await media.setCamera(false);
      }
      setMediaState('ready');
    } catch (error) {
      setMediaError(mediaProblem(error));
      setMediaState('failed');
    }
    sync();
    try {
      setDevices(await listDevices());
    } catch {
      // no device list: the selects stay empty
    }
  }

  useEffect(() => {
    void openMedia();
    const refresh = () => void listDevices().then(setDevices).catch(() => undefined);
    navigator.mediaDevices?.addEventListener?.('devicechange', refresh);
    return () => {
      navigator.mediaDevices?.removeEventListener?.('devicechange', refresh);
      if (!handedOver.current) {
        local.current?.close();
      }
    };
  }, []);

  useEffect(() => {
    if (!identity || !knownRoomId) {
      return;
    }
    let current = true;
    getRoom(identity, knownRoomId).then((room) => {
      if (current) {
        setRoomName(room.settings.name);
        setRoomEnded(room.endedAt !== null && room.endedAt !== undefined);
      }
    }).catch(() => undefined);
    return () => {
      current = false;
    };
  }, [identity?.displayName, knownRoomId]);

  function remember(change: Partial<typeof preferences>) {
    const next = { ...preferences, ...change };
    setPreferences(next);
    keepDevicePreferences(next);
  }

  function toggleMicrophone() {
    const on = !preferences.microphoneOn;
    local.current?.setMicrophone(on);
    remember({ microphoneOn: on });
  }

  async function toggleCamera() {
    const on = !preferences.cameraOn;
    remember({ cameraOn: on });
    try {
      await local.current?.setCamera(on, preferences.cameraId);
    } catch (error) {
      setMediaError(mediaProblem(error));
      remember({ cameraOn: false });
    }
    sync();
  }

  async function choose(kind: 'audio' | 'video', deviceId: string) {
    remember(kind === 'audio' ? { microphoneId: deviceId } : { cameraId: deviceId });
    if (kind === 'video' && !preferences.cameraOn) {
      return; // used when the camera is turned on
    }
    try {
      await local.current?.switchTo(kind, deviceId);
      if (kind === 'audio') {
        local.current?.setMicrophone(preferences.microphoneOn);
      }
    } catch (error) {
      setMediaError(mediaProblem(error));
    }
    sync();
  }

  async function join(event?: Event) {
    event?.preventDefault();
    if (busy || roomEnded) {
      return;
    }
    setError(null);
    let who: Identity;
    let roomId: string;
    setBusy(true);
    try {
      if (mode.kind === 'room') {
        if (!identity) {
          return;
        }
        who = identity;
        roomId = mode.roomId;
      } else if (user) {
        roomId = await redeemAsUser(mode.code, user);
        who = user;
      } else {
        const typed = name.trim();
        if (typed === '') {
          setNameError('Enter the name the others will see.');
          nameInput.current?.focus();
          return;
        }
        setNameError(null);
        const redeemed = await redeemAsGuest(mode.code, typed);
        await keepGuest(redeemed.roomId, redeemed.identity);
        who = redeemed.identity;
        roomId = redeemed.roomId;
      }
    } catch (e) {
      setError((e as Error).message);
      return;
    } finally {
      setBusy(false);
    }
    handedOver.current = true;
    setBusy(true);
    await model.join(who, roomId, local.current ?? new LocalMedia());
  }

  useEffect(() => {
    if (autoJoin && !autoJoined.current && mediaState !== 'opening' && identity && mode.kind === 'room') {
      autoJoined.current = true;
      void join();
    }
  }, [autoJoin, mediaState]);

  // M / V and Ctrl+D / Ctrl+E work here too, as in the call.
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutFor(event);
      if (action === 'toggle-microphone' || action === 'toggle-camera') {
        event.preventDefault();
        if (action === 'toggle-microphone') {
          toggleMicrophone();
        } else {
          void toggleCamera();
        }
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  if (mode.kind === 'room' && !identity) {
    return <SignInToReturn model={model} roomId={mode.roomId} />;
  }

  const displayName = identity?.displayName ?? (name.trim() || 'You');
  const micOn = preferences.microphoneOn && microphone !== null;
  const camOn = camera !== null;

  return (
    <Page header={<Header model={model} showAccount={mode.kind === 'invite' || identity?.kind === 'sso'} />} wide>
      <div class="prejoin">
        <section class="prejoin-media" aria-label="Camera and microphone check">
          <div class="preview">
            {camOn ? <VideoTrack track={camera!} mirror label="Your camera preview" /> : (
              <div class="preview-off">
                <Avatar name={displayName} seed={displayName} size={96} />
                <span>{mediaState === 'opening' ? 'Starting camera…' : 'Camera is off'}</span>
              </div>
            )}
            <span class="preview-name">{displayName}</span>
            <div class="preview-controls">
              <IconButton icon={micOn ? 'mic' : 'micOff'} tone={micOn ? 'plain' : 'off'} pressed={!micOn}
                label={micOn ? 'Turn off microphone' : 'Turn on microphone'} keys="M Control+D"
                tip={withKeys(micOn ? 'Turn off microphone' : 'Turn on microphone', 'toggle-microphone')}
                disabled={microphone === null} onClick={toggleMicrophone} />
              <IconButton icon={camOn ? 'cam' : 'camOff'} tone={camOn ? 'plain' : 'off'} pressed={!camOn}
                label={camOn ? 'Turn off camera' : 'Turn on camera'} keys="V Control+E"
                tip={withKeys(camOn ? 'Turn off camera' : 'Turn on camera', 'toggle-camera')}
                disabled={mediaState === 'failed' && !camOn && microphone === null}
                onClick={() => void toggleCamera()} />
            </div>
          </div>
          {mediaError && (
            <div class="notice warning" role="alert">
              <Icon name="warning" size={20} />
              <span>{mediaError}</span>
              {mediaState === 'failed' && <button type="button" class="button text" onClick={() => void openMedia()}>Try again</button>}
            </div>
          )}
          <div class="meter-row">
            <Icon name={micOn ? 'mic' : 'micOff'} size={20} />
            <LevelMeter track={micOn ? microphone : null} />
          </div>
        </section>
        <section class="prejoin-join" aria-labelledby="prejoin-title">
          <h1 id="prejoin-title">Ready to join?</h1>
          <p class="room-title">{roomName ?? (mode.kind === 'invite' ? 'You’re invited to a Parley meeting' : 'Your meeting')}</p>
          {roomEnded && <p class="notice" role="status">This meeting has ended.</p>}
          <form class="join-form" onSubmit={join}>
            {needsName ? (
              <label class="field">
                <span>Your name</span>
                <input ref={nameInput} class="input" value={name} maxLength={64} autoComplete="name" required
                  aria-invalid={nameError !== null} aria-describedby="name-hint"
                  onInput={(e) => setName(e.currentTarget.value)} />
                <span id="name-hint" class={nameError ? 'error small' : 'muted small'}>
                  {nameError ?? 'You join as a guest: the others see this name marked “Guest”.'}
                </span>
              </label>
            ) : (
              <p class="joining-as">
                <span class="muted">Joining as</span>
                <strong>{identity?.displayName}</strong>
                <IdentityBadge verified={identity?.kind === 'sso'} />
              </p>
            )}
            <button type="submit" class="button primary big" disabled={busy || roomEnded || mediaState === 'opening'}>
              {busy ? <><Spinner /> Joining…</> : needsName ? 'Join as guest' : 'Join now'}
            </button>
            {error && <p class="error" role="alert">{error}</p>}
          </form>
          {needsName && (
            <p class="alt-action">
              Have an account?{' '}
              <button type="button" class="button link" onClick={() => model.signIn(location.pathname)}>Sign in to join</button>
            </p>
          )}
          <p class="e2ee-note">
            <Icon name="shield" size={20} />
            <span>End-to-end encrypted. Only the people in this call can see and hear it; you can check a security code together once you’re in.</span>
          </p>
        </section>
        <section class="prejoin-devices" aria-label="Devices">
          <div class="devices">
            <label class="field">
              <span>Microphone</span>
              <select class="input" disabled={devices.microphones.length === 0}
                value={microphone?.getSettings().deviceId ?? preferences.microphoneId ?? ''}
                onChange={(e) => void choose('audio', e.currentTarget.value)}>
                {devices.microphones.length === 0 && <option value="">No microphone</option>}
                {devices.microphones.map((d, i) => <option value={d.deviceId}>{d.label || `Microphone ${i + 1}`}</option>)}
              </select>
            </label>
            <label class="field">
              <span>Camera</span>
              <select class="input" disabled={devices.cameras.length === 0}
                value={camera?.getSettings().deviceId ?? preferences.cameraId ?? ''}
                onChange={(e) => void choose('video', e.currentTarget.value)}>
                {devices.cameras.length === 0 && <option value="">No camera</option>}
                {devices.cameras.map((d, i) => <option value={d.deviceId}>{d.label || `Camera ${i + 1}`}</option>)}
              </select>
            </label>
          </div>
        </section>

      </div>
    </Page>
  );
}

/** A room page opened without a way in: hosts sign in; guests need their invite link. */
function SignInToReturn({ model, roomId }: { model: AppModel; roomId: string }) {
  return (
    <Page header={<Header model={model} />}>
      <div class="card center-card">
        <h1>Sign in to return to this meeting</h1>
        <p class="muted">Meeting <span class="mono">{roomId}</span> is for the people invited to it.</p>
        <button type="button" class="button primary big" onClick={() => model.signIn(`/room/${roomId}`)}>Sign in</button>
        <p class="muted small">Joining as a guest? Open the invite link you were sent again.</p>
      </div>
    </Page>
  );
}
