import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Identity } from '../auth/session';
import type { ChatMessage } from '../call/call-state';
import type { Participant } from '../signaling/protocol';
import { createInvite } from './api';
import { Avatar, ConfirmDialog, CopyField, IconButton, IdentityBadge, Spinner } from './components';
import { Icon } from './icons';
import { peopleCount, sortParticipants } from './people';
import { SHORTCUTS } from './shortcuts';
import { inviteFor, keepInvite } from './storage';
import type { CallController } from './types';

export type PanelName = 'chat' | 'people' | 'security';

/** A side panel (a full-screen sheet on a phone) with a heading that takes focus when it opens. */
export function Panel({ id, title, onClose, children }: { id: string; title: string; onClose: () => void; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [id]);
  return (
    <aside class="panel" id={id} aria-labelledby={`${id}-title`}>
      <div class="panel-head">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>{title}</h2>
        <IconButton icon="close" label={`Close ${title.toLowerCase()}`} tone="ghost" size="small" onClick={onClose} tipPlacement="left" />
      </div>
      <div class="panel-body">{children}</div>
    </aside>
  );
}

function time(at: Date): string {
  return at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function ChatPanel({ call, names, onClose }: { call: CallController; names: ReadonlyMap<string, string>; onClose: () => void }) {
  const state = call.state;
  const messages = state.chat.value;
  const self = state.selfId.value;
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    state.unreadChat.value = 0;
    const element = list.current;
    if (element) {
      element.scrollTop = element.scrollHeight;
    }
  }, [messages.length]);

  async function send(event: Event) {
    event.preventDefault();
    const body = text.trim();
    if (body === '' || sending) {
      return;
    }
    setSending(true);
    setError(null);
    try {
      await call.sendChat(body);
      setText('');
    } catch (e) {
      setError(`Not sent: ${(e as Error).message}`);
    } finally {
      setSending(false);
    }
  }

  return (
    <Panel id="chat-panel" title="In-call messages" onClose={onClose}>
      <p class="panel-note"><Icon name="lock" size={16} /> Messages are end-to-end encrypted: only people in the call can read them. They are not kept after the call.</p>
      <ol ref={list} class="chat-list" role="log" aria-live="polite" aria-label="Messages">
        {messages.length === 0 && <li class="muted empty">No messages yet.</li>}
        {messages.map((message: ChatMessage, i) => {
          const previous = messages[i - 1];
          const grouped = previous && previous.from === message.from && message.at.getTime() - previous.at.getTime() < 60_000;
          const mine = message.from === self;
          return (
            <li key={message.seq} class={`chat-message ${mine ? 'mine' : ''} ${grouped ? 'grouped' : ''}`}>
              {!grouped && (
                <div class="chat-meta">
                  <strong>{mine ? 'You' : names.get(message.from) ?? 'Someone who left'}</strong>
                  <time dateTime={message.at.toISOString()}>{time(message.at)}</time>
                </div>
              )}
              <p class="chat-text">{message.text}</p>
            </li>
          );
        })}
      </ol>
      <form class="chat-form" onSubmit={send}>
        <label for="chat-input" class="visually-hidden">Message everyone</label>
        <input id="chat-input" class="input" value={text} maxLength={4000} placeholder="Message everyone"
          autoComplete="off" onInput={(e) => setText(e.currentTarget.value)} />
        <IconButton icon="send" label="Send message" tone="active" onClick={(e) => void send(e)} disabled={sending || text.trim() === ''} />
      </form>
      {error && <p class="error small" role="alert">{error}</p>}
    </Panel>
  );
}

export function SecurityPanel({ call, onClose }: { call: CallController; onClose: () => void }) {
  const group = call.state.group.value;
  return (
    <Panel id="security-panel" title="Security code" onClose={onClose}>
      {group ? (
        <>
          <div class="security-code" data-testid="security-code" aria-label={`Security code: ${group.securityCode}`}>
            {group.securityCode}
          </div>
          <p class="security-words">
            <span class="muted small block">To read out loud</span>
            <span data-testid="security-words">{group.securityWords}</span>
          </p>
          <p>
            <strong>Compare this with everyone:</strong> if it matches, no one else can see or hear this call,
            not even the people who run Parley.
          </p>
          <p class="muted">
            Read it out loud, or hold your screens up to the camera. The code changes whenever someone
            joins or leaves, so compare it again when people change.
          </p>
          <p class="muted small">
            As digits (other apps show these): <span class="mono" data-testid="security-digits">{group.securityDigits}</span>
            <br />Encryption epoch {group.epoch} · {peopleCount(group.members)} hold the keys.
          </p>
        </>
      ) : (
        <div class="row gap"><Spinner /><p>Setting up end-to-end encryption…</p></div>
      )}
      <h3>How it works</h3>
      <p class="muted small">
        Your device encrypts your audio, video, screen and messages before they leave it, with keys
        that only the people in this call hold (MLS and SFrame). Servers pass them on without being
        able to read them. Names marked “Verified” are signed in with your organisation’s account;
        names marked “Guest” were typed by the person joining.
      </p>
    </Panel>
  );
}

export function PeoplePanel({ call, roomId, identity, onClose }: {
  call: CallController; roomId: string; identity: Identity; onClose: () => void;
}) {
  const state = call.state;
  const self = state.selfId.value;
  const isHost = state.isHost.value;
  const room = state.room.value;
  const lobby = state.lobby.value;
  const people = sortParticipants([...state.participants.value.values()], self);
  const [confirm, setConfirm] = useState<null | { title: string; message: string; confirm: string; run: () => void }>(null);
  const [invite, setInvite] = useState<string | null>(() => inviteFor(roomId));
  const [inviteBusy, setInviteBusy] = useState(false);
  const [inviteError, setInviteError] = useState<string | null>(null);

  async function newInvite() {
    setInviteBusy(true);
    setInviteError(null);
    try {
      const created = await createInvite(identity, roomId, 'guest');
      keepInvite(roomId, created.url);
      setInvite(created.url);
    } catch (e) {
      setInviteError((e as Error).message);
    } finally {
      setInviteBusy(false);
    }
  }

  return (
    <Panel id="people-panel" title="People" onClose={onClose}>
      {isHost && (
        <section class="panel-section" aria-labelledby="invite-title">
          <h3 id="invite-title">Invite people</h3>
          {invite ? <CopyField value={invite} label="Invite link" /> : (
            <button type="button" class="button secondary" onClick={newInvite} disabled={inviteBusy}>
              {inviteBusy ? <Spinner /> : <Icon name="link" size={20} />} Create an invite link
            </button>
          )}
          {inviteError && <p class="error small" role="alert">{inviteError}</p>}
        </section>
      )}

      {isHost && lobby.length > 0 && (
        <section class="panel-section lobby-list" aria-labelledby="lobby-title">
          <div class="row between">
            <h3 id="lobby-title">Waiting to join ({lobby.length})</h3>
            {lobby.length > 1 && (
              <button type="button" class="button text small" onClick={() => lobby.forEach((e) => call.host('admit', { userId: e.userId }))}>
                Admit all
              </button>
            )}
          </div>
          <ul class="people-list">
            {lobby.map((entry) => (
              <li class="person" key={entry.userId}>
                <Avatar name={entry.displayName} seed={entry.userId} size={36} />
                <span class="person-name">
                  <span class="person-line">{entry.displayName}</span>
                  <span class="person-badges"><IdentityBadge verified={false} /></span>
                </span>
                <span class="person-actions">
                  <button type="button" class="button small secondary" onClick={() => call.host('deny', { userId: entry.userId })}
                    aria-label={`Deny ${entry.displayName}`}>Deny</button>
                  <button type="button" class="button small primary" onClick={() => call.host('admit', { userId: entry.userId })}
                    aria-label={`Admit ${entry.displayName}`}>Admit</button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section class="panel-section" aria-labelledby="in-call-title">
        <h3 id="in-call-title">In the call ({people.length})</h3>
        <ul class="people-list">
          {people.map((p: Participant) => {
            const you = p.participantId === self;
            return (
              <li class="person" key={p.participantId} data-participant={p.participantId}>
                <Avatar name={p.displayName} seed={p.userId} size={36} />
                <span class="person-name">
                  <span class="person-line">{p.displayName}{you ? ' (You)' : ''}</span>
                  <span class="person-badges">
                    <IdentityBadge verified={p.verified} />
                    {p.role === 'host' && <span class="id-badge host"><Icon name="star" size={14} />Host</span>}
                    {p.handRaised && <span class="id-badge hand"><Icon name="hand" size={14} />Hand raised</span>}
                  </span>
                </span>
                {isHost && !you && (
                  <span class="person-actions">
                    <IconButton icon="micOff" size="small" tone="ghost" label={`Ask ${p.displayName} to mute`} tipPlacement="left"
                      onClick={() => call.host('mute', { participantId: p.participantId, media: 'audio' })} />
                    <IconButton icon="camOff" size="small" tone="ghost" label={`Ask ${p.displayName} to turn off their camera`} tipPlacement="left"
                      onClick={() => call.host('mute', { participantId: p.participantId, media: 'video' })} />
                    {p.verified && p.role !== 'host' && (
                      <IconButton icon="star" size="small" tone="ghost" label={`Make ${p.displayName} a host`} tipPlacement="left"
                        onClick={() => setConfirm({ title: 'Make host?', confirm: 'Make host',
                          message: `${p.displayName} will be able to admit people, remove them and end the meeting.`,
                          run: () => call.host('promote', { participantId: p.participantId }) })} />
                    )}
                    <IconButton icon="close" size="small" tone="ghost" label={`Remove ${p.displayName} from the call`} tipPlacement="left"
                      onClick={() => setConfirm({ title: 'Remove from the call?', confirm: 'Remove',
                        message: `${p.displayName} will leave the call at once and can come back only with a new invite link.`,
                        run: () => call.host('remove', { participantId: p.participantId }) })} />
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      {isHost && (
        <section class="panel-section" aria-labelledby="host-title">
          <h3 id="host-title">Host controls</h3>
          <label class="switch">
            <input type="checkbox" role="switch" checked={room?.locked ?? false}
              onChange={(e) => call.host(e.currentTarget.checked ? 'lock' : 'unlock')} />
            <span class="switch-track" aria-hidden="true" />
            <span>Lock the meeting <span class="muted small block">Nobody new can join, even with a link.</span></span>
          </label>
          <button type="button" class="button danger" onClick={() => setConfirm({ title: 'End the meeting for everyone?',
            confirm: 'End for everyone', message: 'Everyone will leave the call, and nobody can join it again.',
            run: () => call.host('end-call') })}>
            End meeting for everyone
          </button>
        </section>
      )}
      <ConfirmDialog open={confirm !== null} title={confirm?.title ?? ''} message={confirm?.message ?? ''}
        confirm={confirm?.confirm ?? ''} onConfirm={() => confirm?.run()} onClose={() => setConfirm(null)} />
    </Panel>
  );
}

export function ShortcutList() {
  return (
    <table class="shortcuts">
      <caption class="visually-hidden">Keyboard shortcuts</caption>
      <thead><tr><th scope="col">Keys</th><th scope="col">Action</th></tr></thead>
      <tbody>
        {SHORTCUTS.map((s) => (
          <tr key={s.action}>
            <td>{s.keys.map((k, i) => <>{i > 0 && <span class="muted"> or </span>}<kbd>{k}</kbd></>)}</td>
            <td>{s.description}</td>
          </tr>
        ))}
      </tbody>
      <tfoot><tr><td colSpan={2} class="muted small">On a Mac, use ⌘ instead of Ctrl. Single keys work while you are not typing in a text field.</td></tr></tfoot>
    </table>
  );
}
