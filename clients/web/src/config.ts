/**
 * What the app needs to know about its deployment, served by signaling at
 * `GET /api/v1/client-config` (docs/web-app.md): the app is the same build everywhere, so nothing
 * deployment-specific is compiled in.
 */
export interface ClientConfig {
  /** The Keycloak realm's issuer URL, for sign-in with authorization code + PKCE. */
  readonly issuer: string;
  /** The public OIDC client of the web app. */
  readonly clientId: string;
  /** The key-distribution service's base URL (MLS authentication and delivery). */
  readonly keyDistributionUrl: string;
  /** The presence service's base URL. */
  readonly presenceUrl: string;
  /** The region the app states in its media offers, for a relay near it (docs/protocol.md); null: none. */
  readonly mediaRegion?: string | null;
}

export async function loadConfig(signalingUrl: string = location.origin): Promise<ClientConfig> {
  const response = await fetch(`${signalingUrl}/api/v1/client-config`, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`the client configuration is not available (HTTP ${response.status})`);
  }
  return (await response.json()) as ClientConfig;
}
