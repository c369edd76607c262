import { render } from 'preact';
import { createEndToEnd } from './e2ee';
import type { Call } from './call/call';
import { App } from './ui/App';
import { AppModel } from './ui/model';
import './ui/styles.css';

/**
 * Parley's web app. The root component gets the end-to-end encryption as a factory
 * (`createEndToEnd(config, identity)`), so the screens do not depend on how it is wired.
 *
 * Test hooks, for Playwright and for diagnostics, on `window.parley`:
 * - `parley.call`: the current {@link Call}, or null before joining. Read its signals, e.g.
 *   `parley.call.state.phase.value` ('joining' | 'lobby' | 'in-call' | 'left' | …),
 *   `parley.call.state.tiles.value` (one per participant: `participant`, `camera`, `audio`, `screen`,
 *   `speaking`), `parley.call.state.group.value?.securityCode`, `parley.call.state.chat.value`
 *   (`{seq, from, text, at}`); and `parley.call.peerConnection` for `getStats()`.
 * - `parley.phase`: the same phase, or 'idle' without a call.
 * - `parley.model`: the app's state (route, signed-in user, stage), and `parley.ready`: true once
 *   the configuration is loaded and the first screen shows.
 * The DOM carries stable hooks too: `[data-phase]` on the call view, `[data-participant]` on tiles and
 * people, `[data-testid=security-code]` in the security panel, buttons by their accessible names.
 */
declare global {
  interface Window {
    parley: { readonly call: Call | null; readonly phase: string; readonly model: AppModel; readonly ready: boolean };
  }
}

const model = new AppModel(createEndToEnd);
window.parley = {
  get call() {
    return model.call;
  },
  get phase() {
    return model.call?.state.phase.value ?? 'idle';
  },
  get model() {
    return model;
  },
  get ready() {
    return model.config.value !== null;
  },
};

render(<App model={model} />, document.getElementById('app')!);
void model.start();
