/**
 * Keyboard shortcuts in a call, like Google Meet's (Ctrl/⌘+D microphone, Ctrl/⌘+E camera) plus
 * single keys while no text field has focus. The help dialog and the buttons' tooltips are built
 * from {@link SHORTCUTS}, so what is documented is what works.
 */
export type ShortcutAction =
  | 'toggle-microphone' | 'toggle-camera' | 'toggle-hand' | 'toggle-chat' | 'toggle-participants'
  | 'toggle-security' | 'help' | 'close';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey?: boolean;
  readonly target?: unknown;
}

export interface Shortcut {
  readonly action: ShortcutAction;
  /** As people read them, e.g. ["M", "Ctrl+D"]. */
  readonly keys: readonly string[];
  /** For `aria-keyshortcuts`. */
  readonly aria: string;
  readonly description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'toggle-microphone', keys: ['M', 'Ctrl+D'], aria: 'M Control+D Meta+D', description: 'Turn the microphone on or off' },
  { action: 'toggle-camera', keys: ['V', 'Ctrl+E'], aria: 'V Control+E Meta+E', description: 'Turn the camera on or off' },
  { action: 'toggle-hand', keys: ['H'], aria: 'H', description: 'Raise or lower your hand' },
  { action: 'toggle-chat', keys: ['C'], aria: 'C', description: 'Open or close the chat' },
  { action: 'toggle-participants', keys: ['P'], aria: 'P', description: 'Open or close the participant list' },
  { action: 'toggle-security', keys: ['K'], aria: 'K', description: 'Show the security code' },
  { action: 'help', keys: ['?'], aria: 'Shift+?', description: 'Show these shortcuts' },
  { action: 'close', keys: ['Esc'], aria: 'Escape', description: 'Close the open panel or dialog' },
];

export function shortcut(action: ShortcutAction): Shortcut {
  return SHORTCUTS.find((s) => s.action === action)!;
}

/** "Turn off microphone (M or Ctrl+D)": a tooltip naming the shortcut. */
export function withKeys(label: string, action: ShortcutAction, mac = false): string {
  const keys = shortcut(action).keys.map((k) => (mac ? k.replace('Ctrl+', '⌘') : k));
  return `${label} (${keys.join(' or ')})`;
}

const SINGLE: Record<string, ShortcutAction> = {
  m: 'toggle-microphone', v: 'toggle-camera', h: 'toggle-hand', c: 'toggle-chat', p: 'toggle-participants',
  k: 'toggle-security', '?': 'help',
};

/** The action a key press asks for, or null to let the browser have it. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  const key = event.key;
  if (key === 'Escape') {
    return 'close';
  }
  const command = event.ctrlKey || event.metaKey;
  if (command && !event.altKey && !event.shiftKey) {
    const lower = key.toLowerCase();
    if (lower === 'd') {
      return 'toggle-microphone';
    }
    if (lower === 'e') {
      return 'toggle-camera';
    }
    return null;
  }
  if (command || event.altKey || isTyping(event.target)) {
    return null;
  }
  return SINGLE[key.length === 1 ? key.toLowerCase() : ''] ?? null;
}

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', '']);

/** Whether the key goes into a text field (so single-key shortcuts must not fire). */
export function isTyping(target: unknown): boolean {
  if (target === null || typeof target !== 'object') {
    return false;
  }
  const element = target as { tagName?: string; type?: string; isContentEditable?: boolean };
  if (element.isContentEditable) {
    return true;
  }
  const tag = (element.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') {
    return true;
  }
  return tag === 'INPUT' && TEXT_INPUTS.has((element.type ?? '').toLowerCase());
}
