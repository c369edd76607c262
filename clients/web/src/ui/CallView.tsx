import { useEffect, useState } from 'preact/hooks';
import { getRoom } from './api';
import { Page, Spinner } from './components';
import { Header } from './Header';
import { Icon, type IconName } from './icons';
import { InCall } from './InCall';
import type { AppModel } from './model';
import type { CallController } from './types';

/** Everything from "Join now" to the end: joining, the lobby, the call, and what comes after. */
export function CallView({ model, call, roomId }: { model: AppModel; call: CallController; roomId: string }) {
  const state = call.state;
  const phase = state.phase.value;
  switch (phase) {
    case 'idle':
    case 'joining':
      return <Joining model={model} />;
    case 'lobby':
      return <Lobby model={model} call={call} />;
    case 'in-call':
      return <InCall call={call} roomId={roomId} model={model} />;
    default:
      return <AfterCall model={model} phase={phase} error={state.error.value} roomId={roomId} />;
  }
}

export function Joining({ model }: { model: AppModel }) {
  return (
    <Page header={<Header model={model} showAccount={false} />}>
      <div class="card center-card" aria-busy="true" data-phase="joining">
        <Spinner label="Joining" />
        <h1>Joining…</h1>
        <p class="muted">Connecting securely to the meeting.</p>
      </div>
    </Page>
  );
}

function Lobby({ model, call }: { model: AppModel; call: CallController }) {
  const stage = model.stage.value;
  const [name, setName] = useState<string | null>(call.state.room.value?.name ?? null);
  useEffect(() => {
    if (name !== null || stage.kind !== 'call') {
      return;
    }
    let current = true;
    getRoom(stage.identity, stage.roomId).then((room) => current && setName(room.settings.name)).catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  return (
    <Page header={<Header model={model} showAccount={false} />}>
      <div class="card center-card lobby" aria-live="polite">
        <div class="lobby-pulse" aria-hidden="true"><Icon name="people" size={40} /></div>
        <h1>Waiting for the host to let you in</h1>
        {name && <p class="room-title">{name}</p>}
        <p class="muted">Someone in the meeting will let you in soon. Keep this page open.</p>
        <button type="button" class="button secondary" onClick={async () => {
          const roomId = (model.stage.value.kind === 'call' ? model.stage.value.roomId : null);
          await call.leave();
          if (roomId) {
            model.backToRoom(roomId);
          } else {
            model.home();
          }
        }}>Cancel</button>
      </div>
    </Page>
  );
}

const AFTER: Record<string, { icon: IconName; title: string; text: string; rejoin: boolean }> = {
  left: { icon: 'leave', title: 'You left the meeting', text: 'The others can carry on without you.', rejoin: true },
  ended: { icon: 'info', title: 'The meeting has ended', text: 'A host ended the meeting for everyone.', rejoin: false },
  removed: { icon: 'warning', title: 'You were removed from the meeting', text: 'A host removed you. To come back, you need a new invite link.', rejoin: false },
  denied: { icon: 'warning', title: 'You weren’t let in', text: 'A host declined your request to join this meeting.', rejoin: false },
  failed: { icon: 'warning', title: 'The call couldn’t continue', text: 'Something went wrong.', rejoin: true },
};

export function AfterCall({ model, phase, error, roomId }: { model: AppModel; phase: string; error: string | null; roomId: string }) {
  const after = AFTER[phase] ?? AFTER.failed;
  return (
    <Page header={<Header model={model} showAccount={false} />}>
      <div class={`card center-card after after-${phase}`} data-phase={phase}>
        <div class="after-icon" aria-hidden="true"><Icon name={after.icon} size={36} /></div>
        <h1>{after.title}</h1>
        <p class="muted">{phase === 'failed' && error ? error : after.text}</p>
        <div class="row gap center wrap">
          {after.rejoin && (
            <button type="button" class="button primary" onClick={() => model.backToRoom(roomId, true)}>Rejoin</button>
          )}
          <button type="button" class={`button ${after.rejoin ? 'secondary' : 'primary'}`} onClick={() => model.home()}>
            Return to home screen
          </button>
        </div>
      </div>
    </Page>
  );
}
