import { describe, expect, it } from 'vitest';
import { formatDeepLink, parseDeepLink } from '../../web/params.ts';

describe('deep links: camera and V2X', () => {
  it('reads camera=chase and camera=top, and the old camera=follow as chase', () => {
    expect(parseDeepLink('?camera=chase').camera).toBe('chase');
    expect(parseDeepLink('?camera=top').camera).toBe('top');
    expect(parseDeepLink('?camera=follow').camera).toBe('chase');
  });

  it('ignores an unknown camera with a warning naming the choices', () => {
    const l = parseDeepLink('?camera=drone');
    expect(l.camera).toBeNull();
    expect(l.warnings[0]).toMatch(/orbit, chase, top/);
  });

  it('reads and writes v2x=1, and writes the camera only when it is not orbit', () => {
    expect(parseDeepLink('?v2x=1').v2x).toBe(true);
    expect(parseDeepLink('').v2x).toBe(false);
    const q = formatDeepLink({ scenario: 'cars-cut-in', seed: 1, backend: 'rapier', speed: 4, camera: 'chase', v2x: true });
    expect(q).toBe('?scenario=cars-cut-in&seed=1&backend=rapier&speed=4&camera=chase&v2x=1');
    expect(formatDeepLink({ scenario: 's', seed: 0, backend: 'rapier', speed: 1, camera: 'orbit' })).not.toMatch(/camera|v2x/);
  });
});
