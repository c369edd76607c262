import type { Identity } from '../auth/session';
import type { Call } from '../call/call';
import type { EndToEnd } from '../call/end-to-end';
import type { ClientConfig } from '../config';

/** How the app gets a call's end-to-end encryption (injected, so the UI does not depend on its wiring). */
export type EndToEndFactory = (config: ClientConfig, identity: Identity) => Promise<EndToEnd>;

/** What the call screens use of a {@link Call}: the UI can be shown with a stand-in (test/ui/preview). */
export type CallController = Pick<Call, 'state' | 'setMicrophone' | 'setCamera' | 'shareScreen' | 'stopScreen'
  | 'raiseHand' | 'host' | 'leave' | 'sendChat' | 'rendered'>;
