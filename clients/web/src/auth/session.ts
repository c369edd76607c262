import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { ClientConfig } from '../config';

/** Who is using the app: an SSO user (Keycloak) or a guest admitted by an invite link. */
export interface Identity {
  readonly kind: 'sso' | 'guest';
  readonly displayName: string;
  /** A token valid now: signaling, presence and key distribution all accept it. */
  token(): Promise<string>;
}

/**
 * Sign-in with Keycloak through the authorization code flow with PKCE (RFC 7636), as a public
 * client: no secret in the browser, tokens renewed silently before they expire. The redirect comes
 * back to the page that started it, which finishes the sign-in on load.
 */
export class SsoSession {
  private readonly manager: UserManager;

  constructor(config: ClientConfig) {
    this.manager = new UserManager({
      authority: config.issuer,
      client_id: config.clientId,
      redirect_uri: `${location.origin}/`,
      post_logout_redirect_uri: `${location.origin}/`,
      response_type: 'code',
      scope: 'openid profile',
      automaticSilentRenew: true,
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    });
  }

  /** Completes a sign-in redirect if this page load is one; returns the signed-in user, if any. */
  async restore(): Promise<Identity | null> {
    const params = new URLSearchParams(location.search);
    if (params.has('code') && params.has('state')) {
      const user = await this.manager.signinRedirectCallback();
      const returnTo = typeof user.state === 'string' ? user.state : '/';
      history.replaceState(null, '', returnTo);
      return this.identity(user);
    }
    const user = await this.manager.getUser();
    return user && !user.expired ? this.identity(user) : null;
  }

  /** Leaves for Keycloak's sign-in page; comes back to {@code returnTo}. */
  signIn(returnTo: string = location.pathname): Promise<void> {
    return this.manager.signinRedirect({ state: returnTo });
  }

  signOut(): Promise<void> {
    return this.manager.signoutRedirect();
  }

  private identity(user: User): Identity {
    const profile = user.profile;
    const displayName = String(profile.name ?? profile.preferred_username ?? 'You');
    return {
      kind: 'sso',
      displayName,
      token: async () => {
        const current = await this.manager.getUser();
        if (!current || current.expired) {
          const renewed = await this.manager.signinSilent();
          if (!renewed) {
            throw new Error('signed out');
          }
          return renewed.access_token;
        }
        return current.access_token;
      },
    };
  }
}

/** A guest token from redeeming an invite (`POST /api/v1/invites/{code}/redeem`), kept for the tab. */
export async function redeemAsGuest(code: string, displayName: string): Promise<{ identity: Identity; roomId: string }> {
  const response = await fetch(`/api/v1/invites/${encodeURIComponent(code)}/redeem`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new Error(String(body.detail ?? `the invite cannot be used (HTTP ${response.status})`));
  }
  const token = String(body.guestToken);
  return {
    roomId: String(body.roomId),
    identity: { kind: 'guest', displayName, token: async () => token },
  };
}

/** Redeems an invite as a signed-in user: they become a participant of its room. */
export async function redeemAsUser(code: string, identity: Identity): Promise<string> {
  const response = await fetch(`/api/v1/invites/${encodeURIComponent(code)}/redeem`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json',
      Authorization: `Bearer ${await identity.token()}` },
    body: JSON.stringify({}),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new Error(String(body.detail ?? `the invite cannot be used (HTTP ${response.status})`));
  }
  return String(body.roomId);
}
