import { useState } from 'preact/hooks';
import { createInvite, createRoom, type Invite, type Room } from './api';
import { CopyField, Page, Spinner } from './components';
import { Header } from './Header';
import { Icon } from './icons';
import type { AppModel } from './model';
import { routeFromInput } from './routing';
import { keepInvite } from './storage';

/** The start page: sign in, start a meeting and share its link, or join with a link. */
export function Home({ model }: { model: AppModel }) {
  const user = model.user.value;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState<{ room: Room; invite: Invite } | null>(null);
  const [name, setName] = useState('');
  const [lobby, setLobby] = useState(true);
  const [guests, setGuests] = useState(true);
  const [link, setLink] = useState('');
  const [linkError, setLinkError] = useState<string | null>(null);

  const defaultName = user ? `${user.displayName.split(/\s+/)[0]}'s meeting` : 'Meeting';

  async function start() {
    if (!user) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const room = await createRoom(user, { name: name.trim() || defaultName, lobby });
      const invite = await createInvite(user, room.id, guests ? 'guest' : 'participant');
      keepInvite(room.id, invite.url);
      setReady({ room, invite });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function joinLink(event: Event) {
    event.preventDefault();
    const route = routeFromInput(link);
    if (!route) {
      setLinkError('That is not a Parley link. It looks like https://…/join/ followed by a code.');
      return;
    }
    setLinkError(null);
    model.navigate(route);
  }

  return (
    <Page header={<Header model={model} />} wide>
      <div class="home">
        <section class="home-intro" aria-labelledby="home-title">
          <h1 id="home-title">Video meetings that stay between you.</h1>
          <p class="lead">
            Start a call, share the link, talk. Audio, video, screen and chat are end-to-end
            encrypted on your device: not even the people who run Parley can see or hear them.
          </p>

          {ready ? (
            <div class="card ready-card" role="region" aria-labelledby="ready-title">
              <h2 id="ready-title"><Icon name="check" /> “{ready.room.settings.name}” is ready</h2>
              <p class="muted">
                Share this link with the people you want in the meeting.
                {ready.invite.role === 'guest'
                  ? (ready.room.settings.lobby
                    ? ' People without an account join as guests and wait in the lobby until you let them in.'
                    : ' People without an account can join as guests.')
                  : ' Only people who sign in can use it.'}
              </p>
              <CopyField value={ready.invite.url} label="Invite link" />
              <div class="row gap">
                <button type="button" class="button primary" onClick={() => model.navigate({ name: 'room', roomId: ready.room.id })}>
                  <Icon name="cam" size={20} /> Join now
                </button>
                <button type="button" class="button text" onClick={() => setReady(null)}>Start another meeting</button>
              </div>
            </div>
          ) : user ? (
            <div class="start">
              <div class="row gap wrap">
                <button type="button" class="button primary big" onClick={start} disabled={busy}>
                  {busy ? <Spinner /> : <Icon name="plus" size={20} />} New meeting
                </button>
              </div>
              <details class="options">
                <summary>Meeting options</summary>
                <div class="options-body">
                  <label class="field">
                    <span>Meeting name</span>
                    <input class="input" value={name} maxLength={120} placeholder={defaultName}
                      onInput={(e) => setName(e.currentTarget.value)} />
                  </label>
                  <label class="check">
                    <input type="checkbox" checked={lobby} onChange={(e) => setLobby(e.currentTarget.checked)} />
                    <span>Guests wait in a lobby until a host lets them in</span>
                  </label>
                  <label class="check">
                    <input type="checkbox" checked={guests} onChange={(e) => setGuests(e.currentTarget.checked)} />
                    <span>People without an account may join with the link, as guests</span>
                  </label>
                </div>
              </details>
            </div>
          ) : (
            <div class="start">
              <button type="button" class="button primary big" onClick={() => model.signIn('/')}>
                Sign in to start a meeting
              </button>
              <p class="muted small">Sign in with your organisation account. Invited? Open your link or paste it below: no account needed.</p>
            </div>
          )}
          {error && <p class="error" role="alert">{error}</p>}

          <form class="join-link" onSubmit={joinLink} aria-labelledby="join-link-label">
            <label id="join-link-label" for="join-link-input" class="field-label">Join with a link</label>
            <div class="row gap">
              <input id="join-link-input" class="input" value={link} placeholder="Paste an invite link"
                autoComplete="off" spellcheck={false} aria-invalid={linkError !== null}
                aria-describedby={linkError ? 'join-link-error' : undefined}
                onInput={(e) => setLink(e.currentTarget.value)} />
              <button type="submit" class="button secondary" disabled={link.trim() === ''}>Join</button>
            </div>
            {linkError && <p id="join-link-error" class="error small">{linkError}</p>}
          </form>
        </section>

        <section class="home-art" aria-hidden="true">
          <div class="art-grid">
            {[['AL', 210], ['BK', 140], ['GH', 20], ['MJ', 280]].map(([text, hue], i) => (
              <div class={`art-tile ${i === 1 ? 'speaking' : ''}`} style={{ '--hue': String(hue) }}>
                <span class="avatar" style={{ '--hue': String(hue) }}>{text}</span>
              </div>
            ))}
          </div>
          <div class="art-code"><Icon name="shield" size={18} /> robot · cactus · rocket · guitar</div>
          <p class="art-caption">Everyone sees the same security code. If it matches, no one else is listening.</p>
        </section>
      </div>
    </Page>
  );
}
