/**
 * The app's paths (signaling serves index.html for each): `/` home, `/join/<inviteCode>` an invite
 * link, `/room/<roomId>` a room someone returns to (a host, or a guest within the same tab).
 */
export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'join'; readonly code: string }
  | { readonly name: 'room'; readonly roomId: string }
  | { readonly name: 'not-found'; readonly path: string };

/** A room id as signaling writes it: three groups of four base32 letters (`abcd-efgh-ijkl`). */
export const ROOM_ID = /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/;
/** An invite code: 128 random bits as 22 base64url characters. */
export const INVITE_CODE = /^[A-Za-z0-9_-]{22}$/;

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/index.html') {
    return { name: 'home' };
  }
  const join = /^\/join\/([^/]+)$/.exec(path);
  if (join) {
    const code = safeDecode(join[1]);
    return code !== null && INVITE_CODE.test(code) ? { name: 'join', code } : { name: 'not-found', path };
  }
  const room = /^\/room\/([^/]+)$/.exec(path);
  if (room) {
    const roomId = safeDecode(room[1])?.toLowerCase() ?? null;
    return roomId !== null && ROOM_ID.test(roomId) ? { name: 'room', roomId } : { name: 'not-found', path };
  }
  return { name: 'not-found', path };
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'home': return '/';
    case 'join': return `/join/${route.code}`;
    case 'room': return `/room/${route.roomId}`;
    case 'not-found': return route.path;
  }
}

/**
 * What someone pasted into "Join with a link": a whole invite link (any host), a path, or the bare
 * code. Returns the route to open, or null when the text is neither an invite nor a room.
 */
export function routeFromInput(text: string): Route | null {
  const trimmed = text.trim();
  if (trimmed === '') {
    return null;
  }
  if (INVITE_CODE.test(trimmed)) {
    return { name: 'join', code: trimmed };
  }
  if (ROOM_ID.test(trimmed.toLowerCase())) {
    return { name: 'room', roomId: trimmed.toLowerCase() };
  }
  let path = trimmed;
  try {
    path = new URL(trimmed).pathname;
  } catch {
    // not an absolute URL: maybe a host without scheme ("parley.example/join/…") or a bare path
    const slash = trimmed.indexOf('/');
    path = slash >= 0 ? trimmed.slice(slash) : trimmed;
  }
  const route = parseRoute(path);
  return route.name === 'join' || route.name === 'room' ? route : null;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
