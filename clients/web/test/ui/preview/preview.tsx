/**
 * The call screens with a stand-in for {@link Call}: fake participants with canvas video, so the UI
 * can be looked at and screenshot without a server. Query parameters:
 *   people=N        participants including you (default 3)
 *   panel=chat|people|security   a side panel open
 *   share=1         the second participant shares a screen
 *   phase=lobby|left|ended|removed|denied|failed   another phase than in-call
 *   reconnecting=1  the reconnect banner
 *   mute=audio      a host's request to mute
 *   host=0          you are not a host
 * `window.preview.state` is the CallState, for changing things live.
 */
import { render } from 'preact';
import { CallState, type Phase } from '../../../src/call/call-state';
import type { Participant } from '../../../src/signaling/protocol';
import { App } from '../../../src/ui/App';
import { AppModel } from '../../../src/ui/model';
import type { CallController } from '../../../src/ui/types';
import '../../../src/ui/styles.css';

const params = new URLSearchParams(location.search);
const count = Number(params.get('people') ?? 3);
const NAMES = ['Alice Liddell', 'Bob Kowalski', 'Grace Hopper', 'Margaret Hamilton', 'Linus Pauling', 'Ada Byron',
  'Tim Berners-Lee', 'Radia Perlman', 'Ken Thompson', 'Barbara Liskov', 'Donald Knuth', 'Frances Allen'];
const HUES = [210, 150, 20, 280, 45, 330, 100, 190, 0, 250, 60, 170];

function fakeCamera(hue: number, label: string, screen = false): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = screen ? 1280 : 640;
  canvas.height = screen ? 720 : 360;
  const g = canvas.getContext('2d')!;
  let t = 0;
  const draw = () => {
    t += 1;
    if (screen) {
      g.fillStyle = '#f8f9fa';
      g.fillRect(0, 0, 1280, 720);
      g.fillStyle = '#1a73e8';
      g.fillRect(0, 0, 1280, 64);
      g.fillStyle = '#fff';
      g.font = '600 28px system-ui';
      g.fillText('Q3 roadmap — encrypted calls', 32, 42);
      g.fillStyle = '#202124';
      g.font = '24px system-ui';
      ['• Join by link in under 400 ms', '• MLS group per call, SFrame on every frame', '• Security code on every screen',
        '• Simulcast for weak links'].forEach((line, i) => g.fillText(line, 64, 150 + i * 56));
      [0.6, 0.8, 0.45, 0.9].forEach((h, i) => {
        g.fillStyle = ['#1a73e8', '#34a853', '#fbbc04', '#ea4335'][i];
        g.fillRect(760 + i * 110, 620 - h * 420, 80, h * 420);
      });
    } else {
      const grad = g.createLinearGradient(0, 0, 640, 360);
      grad.addColorStop(0, `hsl(${hue} 35% 42%)`);
      grad.addColorStop(1, `hsl(${(hue + 40) % 360} 30% 18%)`);
      g.fillStyle = grad;
      g.fillRect(0, 0, 640, 360);
      // a head-and-shoulders silhouette that sways a little
      const x = 320 + Math.sin(t / 20) * 12;
      g.fillStyle = `hsl(${hue} 25% 75%)`;
      g.beginPath();
      g.arc(x, 150, 62, 0, Math.PI * 2);
      g.fill();
      g.beginPath();
      g.ellipse(x, 360, 150, 110, 0, Math.PI, 0);
      g.fill();
    }
    void label;
  };
  draw();
  setInterval(draw, 66);
  return canvas.captureStream(15).getVideoTracks()[0];
}

const state = new CallState();
const people: Participant[] = NAMES.slice(0, count).map((name, i) => ({
  participantId: `p-${i}`,
  userId: i === 2 ? `guest:${i}` : `user-${i}`,
  displayName: i === 2 ? 'Grace (guest)'.replace(' (guest)', '') : name,
  verified: i !== 2 && i % 5 !== 4,
  role: i === 0 ? (params.get('host') === '0' ? 'participant' : 'host') : i === 2 || i % 5 === 4 ? 'guest' : 'participant',
  handRaised: i === 2,
  joinedAt: new Date().toISOString(),
  tracks: i === 3 ? [{ trackId: 'v', kind: 'video', source: 'camera' }]
    : [{ trackId: 'a', kind: 'audio', source: 'microphone' }, { trackId: 'v', kind: 'video', source: 'camera' }],
}));
state.selfId.value = 'p-0';
state.participants.value = new Map(people.map((p) => [p.participantId, p]));
state.room.value = { id: 'k7qp-3mzd-x2ha', name: 'Design review', lobby: true, ssoOnly: false, maxParticipants: 100, locked: false };
state.localCamera.value = fakeCamera(HUES[0], 'you');
state.remote.value = people.slice(1).flatMap((p, i) => {
  const withCamera = (i + 1) % 4 !== 3; // every fourth has the camera off
  const tracks = [];
  if (withCamera) {
    tracks.push({ participantId: p.participantId, trackId: 'v', kind: 'video' as const, source: 'camera' as const,
      track: fakeCamera(HUES[(i + 1) % HUES.length], p.displayName), mid: String(i * 2) });
  }
  return tracks;
});
if (params.get('share') === '1' && count > 1) {
  state.remote.value = [...state.remote.value, { participantId: 'p-1', trackId: 's', kind: 'video', source: 'screen',
    track: fakeCamera(0, 'screen', true), mid: 'screen' }];
}
state.dominantSpeaker.value = count > 1 ? 'p-1' : null;
state.group.value = { epoch: 7, securityCode: '🤖 🌵 🚀 🎸 🐙 🔑 🍕 ⚓', securityWords: 'robot cactus rocket guitar octopus key pizza anchor', securityDigits: '04711 93210 55501 12034 87765 30021', members: count };
state.lobby.value = count > 2 ? [{ userId: 'guest:z', displayName: 'Zoe Waits', since: new Date().toISOString() }] : [];
state.chat.value = [
  { seq: 1, from: 'p-1', text: 'Hi all! Can everyone see the slides?', at: new Date(Date.now() - 120_000) },
  { seq: 2, from: 'p-0', text: 'Yes, loud and clear.', at: new Date(Date.now() - 90_000) },
  { seq: 3, from: 'p-2', text: 'Security code matches here: robot cactus rocket guitar…', at: new Date(Date.now() - 30_000) },
];
state.unreadChat.value = 2;
state.socket.value = params.get('reconnecting') === '1' ? 'reconnecting' : 'open';
state.muteRequest.value = params.get('mute') === 'audio' ? 'audio' : null;
state.phase.value = (params.get('phase') as Phase | null) ?? 'in-call';
if (state.phase.value === 'failed') {
  state.error.value = 'This meeting is full.';
}

const call: CallController = {
  state,
  setMicrophone: (on) => { state.microphoneOn.value = on; },
  setCamera: async (on) => {
    state.cameraOn.value = on;
    state.localCamera.value = on ? fakeCamera(HUES[0], 'you') : null;
  },
  shareScreen: async () => { state.sharingScreen.value = true; },
  stopScreen: () => { state.sharingScreen.value = false; },
  raiseHand: (raised) => {
    const you = state.participants.value.get('p-0')!;
    state.update({ ...you, handRaised: raised });
  },
  host: (type, fields) => console.info('host control', type, fields),
  rendered: () => undefined,
  leave: async () => { state.phase.value = 'left'; },
  sendChat: async (text) => {
    state.chat.value = [...state.chat.value, { seq: state.chat.value.length + 1, from: 'p-0', text, at: new Date() }];
  },
};

const model = new AppModel(async () => { throw new Error('preview'); });
model.config.value = { issuer: 'http://127.0.0.1:8180/realms/parley', clientId: 'parley-web', keyDistributionUrl: '', presenceUrl: '' };
const identity = { kind: 'sso' as const, displayName: 'Alice Liddell', token: async () => 'preview' };
model.user.value = identity;
model.stage.value = { kind: 'call', call: call as never, roomId: 'k7qp-3mzd-x2ha', identity };
(window as unknown as { preview: unknown }).preview = { state, model };

render(<App model={model} />, document.getElementById('app')!);

const panel = params.get('panel');
if (panel) {
  const button = { chat: 'toggle-chat', people: 'toggle-people' }[panel];
  setTimeout(() => (button ? document.getElementById(button)?.click()
    : document.querySelector<HTMLButtonElement>('.e2ee-chip')?.click()), 50);
}
