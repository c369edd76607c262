import { describe, expect, it } from 'vitest';
import { isTyping, SHORTCUTS, shortcutFor, withKeys } from '../../src/ui/shortcuts';

const key = (k: string, extra: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; target: unknown }> = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target: null, ...extra });

describe('shortcuts', () => {
  it('toggles the microphone with M or Ctrl/⌘+D and the camera with V or Ctrl/⌘+E', () => {
    expect(shortcutFor(key('m'))).toBe('toggle-microphone');
    expect(shortcutFor(key('M', { shiftKey: true }))).toBe('toggle-microphone');
    expect(shortcutFor(key('d', { ctrlKey: true }))).toBe('toggle-microphone');
    expect(shortcutFor(key('d', { metaKey: true }))).toBe('toggle-microphone');
    expect(shortcutFor(key('v'))).toBe('toggle-camera');
    expect(shortcutFor(key('e', { ctrlKey: true }))).toBe('toggle-camera');
  });

  it('leaves single keys to text fields, but not Ctrl shortcuts or Escape', () => {
    const input = { tagName: 'INPUT', type: 'text' };
    expect(shortcutFor(key('m', { target: input }))).toBeNull();
    expect(shortcutFor(key('v', { target: { tagName: 'TEXTAREA' } }))).toBeNull();
    expect(shortcutFor(key('m', { target: { tagName: 'DIV', isContentEditable: true } }))).toBeNull();
    expect(shortcutFor(key('d', { ctrlKey: true, target: input }))).toBe('toggle-microphone');
    expect(shortcutFor(key('Escape', { target: input }))).toBe('close');
    expect(shortcutFor(key('m', { target: { tagName: 'BUTTON' } }))).toBe('toggle-microphone');
    expect(shortcutFor(key('m', { target: { tagName: 'INPUT', type: 'checkbox' } }))).toBe('toggle-microphone');
  });

  it('lets the browser keep its own combinations', () => {
    expect(shortcutFor(key('c', { ctrlKey: true }))).toBeNull(); // copy
    expect(shortcutFor(key('d', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(shortcutFor(key('m', { altKey: true }))).toBeNull();
    expect(shortcutFor(key('x'))).toBeNull();
    expect(shortcutFor(key('F5'))).toBeNull();
  });

  it('has the other keys the help lists', () => {
    expect(shortcutFor(key('h'))).toBe('toggle-hand');
    expect(shortcutFor(key('c'))).toBe('toggle-chat');
    expect(shortcutFor(key('p'))).toBe('toggle-participants');
    expect(shortcutFor(key('k'))).toBe('toggle-security');
    expect(shortcutFor(key('?', { shiftKey: true }))).toBe('help');
  });

  it('documents every action it handles, and the tooltips name the keys', () => {
    const documented = new Set(SHORTCUTS.map((s) => s.action));
    for (const k of ['m', 'v', 'h', 'c', 'p', 'k', '?', 'Escape']) {
      expect(documented.has(shortcutFor(key(k))!)).toBe(true);
    }
    expect(withKeys('Turn off microphone', 'toggle-microphone')).toBe('Turn off microphone (M or Ctrl+D)');
    expect(withKeys('Turn off camera', 'toggle-camera', true)).toBe('Turn off camera (V or ⌘E)');
  });

  it('knows what typing is', () => {
    expect(isTyping(null)).toBe(false);
    expect(isTyping({ tagName: 'SELECT' })).toBe(true);
    expect(isTyping({ tagName: 'INPUT', type: 'range' })).toBe(false);
  });
});
