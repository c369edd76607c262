import { describe, expect, it } from 'vitest';
import { parseRoute, routeFromInput, routePath } from '../../src/ui/routing';

const CODE = 'q2Jx9vZ0cWl3YmV1LWZhcg';

describe('routing', () => {
  it('reads the three paths signaling serves the app for', () => {
    expect(parseRoute('/')).toEqual({ name: 'home' });
    expect(parseRoute('/index.html')).toEqual({ name: 'home' });
    expect(parseRoute(`/join/${CODE}`)).toEqual({ name: 'join', code: CODE });
    expect(parseRoute(`/join/${CODE}/`)).toEqual({ name: 'join', code: CODE });
    expect(parseRoute('/room/k7qp-3mzd-x2ha')).toEqual({ name: 'room', roomId: 'k7qp-3mzd-x2ha' });
  });

  it('refuses malformed codes and room ids instead of calling the API with them', () => {
    expect(parseRoute('/join/short').name).toBe('not-found');
    expect(parseRoute('/join/%E0%A4%A').name).toBe('not-found');
    expect(parseRoute('/room/k7qp-3mzd').name).toBe('not-found');
    expect(parseRoute('/room/k7qp-3mzd-x2h1').name).toBe('not-found'); // 1 is not base32
    expect(parseRoute('/settings').name).toBe('not-found');
  });

  it('writes paths back', () => {
    expect(routePath({ name: 'join', code: CODE })).toBe(`/join/${CODE}`);
    expect(routePath({ name: 'room', roomId: 'abcd-efgh-ijkl' })).toBe('/room/abcd-efgh-ijkl');
    expect(routePath({ name: 'home' })).toBe('/');
  });

  it('understands whatever people paste into "Join with a link"', () => {
    expect(routeFromInput(`http://127.0.0.1:8080/join/${CODE}`)).toEqual({ name: 'join', code: CODE });
    expect(routeFromInput(`  https://meet.example.com/join/${CODE}?utm=x  `)).toEqual({ name: 'join', code: CODE });
    expect(routeFromInput(`meet.example.com/join/${CODE}`)).toEqual({ name: 'join', code: CODE });
    expect(routeFromInput(CODE)).toEqual({ name: 'join', code: CODE });
    expect(routeFromInput('ABCD-EFGH-IJKL')).toEqual({ name: 'room', roomId: 'abcd-efgh-ijkl' });
    expect(routeFromInput('https://example.com/')).toBeNull();
    expect(routeFromInput('hello')).toBeNull();
    expect(routeFromInput('')).toBeNull();
  });
});
