import { effect } from '@preact/signals';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Dialog, IconButton, RemoteAudio } from './components';
import { Icon } from './icons';
import type { AppModel } from './model';
import { ChatPanel, PeoplePanel, SecurityPanel, ShortcutList, type PanelName } from './panels';
import { describeRosterEvent, peopleCount, rosterChanges } from './people';
import { shortcutFor, withKeys, type ShortcutAction } from './shortcuts';
import { Stage } from './Stage';
import type { CallController } from './types';
import type { Participant } from '../signaling/protocol';

interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone?: 'info' | 'warning';
  readonly actions?: readonly { label: string; run: () => void; primary?: boolean }[];
  /** Stays until acted on (a host's request); others fade after a few seconds. */
  readonly sticky?: boolean;
  readonly key?: string;
}

const TOAST_MS = 5000;
const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** The call: stage, control bar, side panels, toasts, the reconnect banner and keyboard shortcuts. */
export function InCall({ call, roomId, model }: { call: CallController; roomId: string; model: AppModel }) {
  const state = call.state;
  const rendered = useCallback((track: MediaStreamTrack, size: { width: number; height: number } | null) =>
    call.rendered(track, size), [call]);
  const [panel, setPanel] = useState<PanelName | null>(null);
  const [help, setHelp] = useState(false);
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [elapsed, setElapsed] = useState(0);
  const names = useRef(new Map<string, string>());
  const buttons = useRef<Partial<Record<PanelName | 'help', HTMLButtonElement | null>>>({});
  const nextToast = useRef(1);

  const stage = model.stage.value;
  const identity = stage.kind === 'call' ? stage.identity : null;

  function toast(item: Omit<Toast, 'id'>) {
    const id = nextToast.current++;
    setToasts((list) => [...list.filter((t) => item.key === undefined || t.key !== item.key), { ...item, id }].slice(-4));
    if (!item.sticky) {
      setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), TOAST_MS);
    }
  }

  function dismiss(id: number) {
    setToasts((list) => list.filter((t) => t.id !== id));
  }

  // Toasts and screen-reader announcements from what changes in the call.
  useEffect(() => {
    let roster: ReadonlyMap<string, Participant> | null = null;
    let lobby: ReadonlySet<string> | null = null;
    let code: string | null = null;
    let locked: boolean | null = null;
    const disposers = [
      effect(() => {
        const now = state.participants.value;
        const self = state.selfId.value;
        for (const p of now.values()) {
          names.current.set(p.participantId, p.displayName);
        }
        if (roster !== null) {
          for (const event of rosterChanges(roster, now, self)) {
            if (event.kind === 'hand' && event.participant.participantId === self) {
              continue;
            }
            toast({ text: describeRosterEvent(event, self), key: `${event.kind}-${event.participant.participantId}` });
          }
        }
        roster = now;
      }),
      effect(() => {
        const entries = state.lobby.value;
        const host = state.isHost.value;
        if (lobby !== null && host) {
          for (const entry of entries) {
            if (!lobby.has(entry.userId)) {
              toast({
                text: `${entry.displayName} wants to join`, sticky: true, key: `lobby-${entry.userId}`,
                actions: [
                  { label: 'Admit', primary: true, run: () => call.host('admit', { userId: entry.userId }) },
                  { label: 'View', run: () => setPanel('people') },
                ],
              });
            }
          }
        }
        // people who left the lobby (admitted, denied, gone) need no decision any more
        const waiting = new Set(entries.map((e) => e.userId));
        setToasts((list) => list.filter((t) => !t.key?.startsWith('lobby-') || waiting.has(t.key.slice(6))));
        lobby = waiting;
      }),
      effect(() => {
        const group = state.group.value;
        if (group && code !== null && group.securityCode !== code) {
          setAnnouncement(`The security code changed: ${group.securityCode}`);
        }
        code = group?.securityCode ?? code;
      }),
      effect(() => {
        const isLocked = state.room.value?.locked ?? null;
        if (locked !== null && isLocked !== null && isLocked !== locked) {
          toast({ text: isLocked ? 'The meeting is locked: nobody new can join' : 'The meeting is unlocked' });
        }
        locked = isLocked;
      }),
      effect(() => {
        const request = state.muteRequest.value;
        if (request === null) {
          setToasts((list) => list.filter((t) => t.key !== 'mute-request'));
          return;
        }
        const audio = request === 'audio';
        toast({
          key: 'mute-request', sticky: true, tone: 'warning',
          text: audio ? 'A host asks you to mute your microphone' : 'A host asks you to turn off your camera',
          actions: [
            { label: audio ? 'Mute' : 'Turn off', primary: true, run: () => {
              if (audio) {
                call.setMicrophone(false);
              } else {
                void call.setCamera(false);
              }
              state.muteRequest.value = null;
            } },
            { label: 'Dismiss', run: () => (state.muteRequest.value = null) },
          ],
        });
      }),
    ];
    return () => disposers.forEach((dispose) => dispose());
  }, [call]);

  const roomName = state.room.value?.name;
  useEffect(() => {
    document.title = roomName ? `${roomName} · Parley` : 'Parley';
    return () => {
      document.title = 'Parley';
    };
  }, [roomName]);

  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, []);

  function togglePanel(name: PanelName) {
    if (panel === name) {
      closePanel();
    } else {
      setPanel(name);
      if (name === 'chat') {
        state.unreadChat.value = 0;
      }
    }
  }

  function closePanel() {
    const open = panel;
    setPanel(null);
    if (open) {
      setTimeout(() => buttons.current[open]?.focus(), 0);
    }
  }

  const microphoneOn = state.microphoneOn.value;
  const cameraOn = state.cameraOn.value;
  const sharing = state.sharingScreen.value;
  const handRaised = state.you.value?.handRaised ?? false;
  const tiles = state.tiles.value;
  const room = state.room.value;
  const canShare = typeof navigator.mediaDevices?.getDisplayMedia === 'function';

  function toggleMicrophone() {
    call.setMicrophone(!microphoneOn);
    setAnnouncement(microphoneOn ? 'Microphone off' : 'Microphone on');
  }

  // Turning the camera on or off takes a moment (the device opens or closes): presses meanwhile
  // change the wanted state, and the loop goes on until the camera matches the last press.
  const wantedCamera = useRef<boolean | null>(null);
  async function toggleCamera() {
    const switching = wantedCamera.current !== null;
    wantedCamera.current = !(wantedCamera.current ?? state.cameraOn.value);
    if (switching) {
      return;
    }
    try {
      while (wantedCamera.current !== null && state.cameraOn.value !== wantedCamera.current) {
        const on: boolean = wantedCamera.current;
        await call.setCamera(on);
        setAnnouncement(on ? 'Camera on' : 'Camera off');
      }
    } catch (error) {
      toast({ text: `The camera could not be turned on: ${(error as Error).message}`, tone: 'warning' });
    } finally {
      wantedCamera.current = null;
    }
  }

  async function toggleScreen() {
    if (sharing) {
      call.stopScreen();
      return;
    }
    try {
      await call.shareScreen();
    } catch (error) {
      if ((error as DOMException)?.name !== 'NotAllowedError') {
        toast({ text: `Screen sharing did not start: ${(error as Error).message}`, tone: 'warning' });
      }
    }
  }

  function toggleHand() {
    call.raiseHand(!handRaised);
    setAnnouncement(handRaised ? 'You lowered your hand' : 'You raised your hand');
  }

  function run(action: ShortcutAction) {
    switch (action) {
      case 'toggle-microphone': return toggleMicrophone();
      case 'toggle-camera': return void toggleCamera();
      case 'toggle-hand': return toggleHand();
      case 'toggle-chat': return togglePanel('chat');
      case 'toggle-participants': return togglePanel('people');
      case 'toggle-security': return togglePanel('security');
      case 'help': return setHelp(true);
      case 'close': return panel ? closePanel() : undefined;
    }
  }

  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector('dialog[open]')) {
        return; // a dialog has the keyboard
      }
      const action = shortcutFor(event);
      if (action === null || (action === 'close' && panel === null)) {
        return;
      }
      event.preventDefault();
      run(action);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  const unread = panel === 'chat' ? 0 : state.unreadChat.value;
  const waiting = state.isHost.value ? state.lobby.value.length : 0;
  const group = state.group.value;

  return (
    <div class={`call ${panel ? 'with-panel' : ''}`} data-phase="in-call">
      <header class="call-top">
        <div class="call-title">
          {room?.locked && <span class="locked" title="The meeting is locked"><Icon name="lock" size={18} /><span class="visually-hidden">Locked</span></span>}
          <h1>{room?.name ?? 'Meeting'}</h1>
          <span class="muted call-meta"><span aria-label="Time in the call">{clock(elapsed)}</span> · {peopleCount(tiles.length)}</span>
        </div>
        <div class="call-top-actions">
          <button type="button" class={`e2ee-chip ${group ? 'ready' : ''}`} ref={(b) => { buttons.current.security = b; }}
            aria-label={group ? `End-to-end encrypted. Security code: ${group.securityWords}` : 'Setting up end-to-end encryption'}
            aria-pressed={panel === 'security'} aria-keyshortcuts="K" data-tip={withKeys('Show the security code', 'toggle-security')}
            data-tip-placement="bottom" onClick={() => togglePanel('security')}>
            <Icon name="shield" size={18} />
            <span class="e2ee-label">{group ? 'End-to-end encrypted' : 'Securing…'}</span>
            {group && <span class="e2ee-code" aria-hidden="true">{group.securityCode}</span>}
          </button>
          <IconButton icon="keyboard" label="Keyboard shortcuts" tip="Keyboard shortcuts (?)" tone="ghost" keys="Shift+?"
            tipPlacement="bottom" buttonRef={(b) => { buttons.current.help = b; }} onClick={() => setHelp(true)} />
        </div>
      </header>

      {state.reconnecting.value && (
        <div class="banner" role="alert">
          <span class="spinner small" aria-hidden="true" />
          <span><strong>Reconnecting…</strong> Your connection dropped. You’ll be back in the call automatically.</span>
        </div>
      )}

      <div class="call-body">
        <main id="main" class="call-main" aria-label="Call">
          <Stage tiles={tiles} microphoneOn={microphoneOn} presenting={sharing} onStopPresenting={() => call.stopScreen()}
            onRendered={rendered} />
        </main>
        {panel === 'chat' && <ChatPanel call={call} names={names.current} onClose={closePanel} />}
        {panel === 'people' && identity && <PeoplePanel call={call} roomId={roomId} identity={identity} onClose={closePanel} />}
        {panel === 'security' && <SecurityPanel call={call} onClose={closePanel} />}
      </div>

      <footer class="controls" aria-label="Call controls">
        <div class="controls-group" role="toolbar" aria-label="Call controls">
          <IconButton icon={microphoneOn ? 'mic' : 'micOff'} tone={microphoneOn ? 'plain' : 'off'} pressed={!microphoneOn}
            label={microphoneOn ? 'Turn off microphone' : 'Turn on microphone'} keys="M Control+D Meta+D"
            tip={withKeys(microphoneOn ? 'Turn off microphone' : 'Turn on microphone', 'toggle-microphone', mac)}
            onClick={toggleMicrophone} id="toggle-microphone" />
          <IconButton icon={cameraOn ? 'cam' : 'camOff'} tone={cameraOn ? 'plain' : 'off'} pressed={!cameraOn}
            label={cameraOn ? 'Turn off camera' : 'Turn on camera'} keys="V Control+E Meta+E"
            tip={withKeys(cameraOn ? 'Turn off camera' : 'Turn on camera', 'toggle-camera', mac)}
            onClick={() => void toggleCamera()} id="toggle-camera" />
          {canShare && (
            <IconButton icon="screen" tone={sharing ? 'active' : 'plain'} pressed={sharing}
              label={sharing ? 'Stop presenting' : 'Present your screen'} onClick={() => void toggleScreen()} id="toggle-screen" />
          )}
          <IconButton icon="hand" tone={handRaised ? 'active' : 'plain'} pressed={handRaised}
            label={handRaised ? 'Lower hand' : 'Raise hand'} keys="H" tip={withKeys(handRaised ? 'Lower hand' : 'Raise hand', 'toggle-hand')}
            onClick={toggleHand} id="toggle-hand" />
          <IconButton icon="chat" tone={panel === 'chat' ? 'active' : 'plain'} pressed={panel === 'chat'}
            label={unread > 0 ? `Chat, ${unread} unread` : 'Chat'} keys="C" tip={withKeys('Chat with everyone', 'toggle-chat')}
            badge={unread > 9 ? '9+' : unread} buttonRef={(b) => { buttons.current.chat = b; }} onClick={() => togglePanel('chat')} id="toggle-chat" />
          <IconButton icon="people" tone={panel === 'people' ? 'active' : 'plain'} pressed={panel === 'people'}
            label={waiting > 0 ? `People, ${waiting} waiting to join` : 'People'} keys="P" tip={withKeys('Show everyone', 'toggle-participants')}
            badge={waiting} buttonRef={(b) => { buttons.current.people = b; }} onClick={() => togglePanel('people')} id="toggle-people" />
          <IconButton icon="leave" tone="danger" label="Leave call" onClick={() => void call.leave()} id="leave-call" />
        </div>
      </footer>

      <div class="toasts" aria-live="polite" aria-relevant="additions text">
        {toasts.map((t) => (
          <div key={t.id} class={`toast ${t.tone ?? 'info'}`} role={t.sticky ? 'alert' : undefined}>
            <span class="toast-text">{t.text}</span>
            {t.actions && (
              <span class="toast-actions">
                {t.actions.map((a) => (
                  <button type="button" class={`button small ${a.primary ? 'primary' : 'text'}`} onClick={() => { a.run(); dismiss(t.id); }}>{a.label}</button>
                ))}
              </span>
            )}
          </div>
        ))}
      </div>
      <div class="visually-hidden" aria-live="polite">{announcement}</div>

      <div class="remote-audio" aria-hidden="true">
        {tiles.filter((t) => t.audio !== null).map((t) => <RemoteAudio key={t.audio!.id} track={t.audio!} />)}
      </div>

      <Dialog open={help} wide title="Keyboard shortcuts" onClose={() => { setHelp(false); buttons.current.help?.focus(); }}>
        <ShortcutList />
      </Dialog>
    </div>
  );
}
