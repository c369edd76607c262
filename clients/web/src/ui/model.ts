import { signal } from '@preact/signals';
import { SsoSession, type Identity } from '../auth/session';
import { Call } from '../call/call';
import type { LocalMedia } from '../call/local-media';
import { loadConfig, type ClientConfig } from '../config';
import { parseRoute, routePath, type Route } from './routing';
import type { EndToEndFactory } from './types';

/** Where the app is: before a call (the route's screens), in a call, or after a call that never started. */
export type Stage =
  | { readonly kind: 'route'; readonly autoJoin?: boolean }
  | { readonly kind: 'joining'; readonly roomId: string }
  | { readonly kind: 'call'; readonly call: Call; readonly roomId: string; readonly identity: Identity }
  | { readonly kind: 'failed'; readonly message: string; readonly roomId: string };

/**
 * The app's state outside a call: configuration, the SSO session, the route, and which call is
 * on. Components read its signals; navigation goes through {@link navigate} (History API).
 */
export class AppModel {
  readonly config = signal<ClientConfig | null>(null);
  readonly loadError = signal<string | null>(null);
  readonly user = signal<Identity | null>(null);
  readonly route = signal<Route>(parseRoute(location.pathname));
  readonly stage = signal<Stage>({ kind: 'route' });
  /** A sentence for screen readers about what just happened (route changes, copied links…). */
  readonly announcement = signal('');
  session: SsoSession | null = null;

  constructor(readonly createEndToEnd: EndToEndFactory) {
    addEventListener('popstate', () => {
      this.route.value = parseRoute(location.pathname);
    });
    // Closing or reloading the page gives the place up at once: otherwise it would stay in the
    // call, frozen, for the resume grace period (a network drop, which does not unload, still resumes).
    addEventListener('pagehide', () => {
      const call = this.call;
      if (call && (call.state.phase.value === 'in-call' || call.state.phase.value === 'lobby')) {
        void call.leave();
      }
    });
  }

  /** Reads the deployment's configuration and finishes (or restores) an SSO sign-in. */
  async start(): Promise<void> {
    this.loadError.value = null;
    try {
      const config = await loadConfig();
      this.session = new SsoSession(config);
      try {
        this.user.value = await this.session.restore();
      } catch (error) {
        console.warn('sign-in could not be completed', error);
        this.announcement.value = 'Signing in did not complete. Please try again.';
      }
      this.route.value = parseRoute(location.pathname);
      this.config.value = config;
    } catch (error) {
      this.loadError.value = (error as Error).message ?? String(error);
    }
  }

  navigate(route: Route, replace = false): void {
    const path = routePath(route);
    if (path !== location.pathname) {
      if (replace) {
        history.replaceState(null, '', path);
      } else {
        history.pushState(null, '', path);
      }
    }
    this.route.value = route;
  }

  signIn(returnTo: string = location.pathname): void {
    void this.session?.signIn(returnTo);
  }

  signOut(): void {
    void this.session?.signOut();
  }

  /**
   * Starts the call: the end-to-end encryption for this identity, then {@link Call#join}. The
   * local media is the call's from here on (it closes it when the call ends).
   */
  async join(identity: Identity, roomId: string, local: LocalMedia): Promise<void> {
    const config = this.config.value!;
    this.stage.value = { kind: 'joining', roomId }; // before the route changes: no second pre-join
    this.navigate({ name: 'room', roomId }, true);
    let e2ee;
    try {
      e2ee = await this.createEndToEnd(config, identity);
    } catch (error) {
      local.close();
      this.stage.value = { kind: 'failed', roomId, message: (error as Error).message ?? String(error) };
      return;
    }
    const call = new Call(identity, local, e2ee, config.mediaRegion ?? null);
    this.stage.value = { kind: 'call', call, roomId, identity };
    void call.join(roomId);
  }

  /** Back to the pre-join screen of the room (after a call, or from the lobby). */
  backToRoom(roomId: string, autoJoin = false): void {
    this.navigate({ name: 'room', roomId }, true);
    this.stage.value = { kind: 'route', autoJoin };
  }

  home(): void {
    this.stage.value = { kind: 'route' };
    this.navigate({ name: 'home' });
  }

  /** The call on screen now, if any. */
  get call(): Call | null {
    const stage = this.stage.value;
    return stage.kind === 'call' ? stage.call : null;
  }
}
