import { describe, expect, it } from 'vitest';
import { formatDeepLink, parseDeepLink } from '../../web/params.ts';

describe('deep links: camera and V2X', () => {
  it('reads camera=chase, camera=top and camera=onboard, and the old camera=follow as chase', () => {
    expect(parseDeepLink('?camera=chase').camera).toBe('chase');
    expect(parseDeepLink('?camera=top').camera).toBe('top');
    expect(parseDeepLink('?camera=follow').camera).toBe('chase');
    expect(parseDeepLink('?camera=onboard').camera).toBe('onboard');
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

describe('deep links: perception rays and trails', () => {
  it('reads rays=1 (off by default) and trails=0 (on by default)', () => {
    expect(parseDeepLink('').rays).toBe(false);
    expect(parseDeepLink('').trails).toBe(true);
    expect(parseDeepLink('?rays=1&trails=0')).toMatchObject({ rays: true, trails: false, warnings: [] });
    expect(parseDeepLink('?rays=true&trails=true')).toMatchObject({ rays: true, trails: true });
  });

  it('ignores a value that is not 1 or 0 with a warning, keeping the default', () => {
    const l = parseDeepLink('?rays=yes&trails=maybe');
    expect(l.rays).toBe(false);
    expect(l.trails).toBe(true);
    expect(l.warnings).toEqual(['rays=yes: expected 1 or 0; using 0', 'trails=maybe: expected 1 or 0; using 1']);
  });

  it('writes rays=1 when on and trails=0 when off, nothing for the defaults', () => {
    const base = { scenario: 'uav-pillar-band', seed: 3, backend: 'rapier' as const, speed: 2, camera: 'chase' as const };
    expect(formatDeepLink({ ...base, rays: true, trails: false })).toBe('?scenario=uav-pillar-band&seed=3&backend=rapier&speed=2&camera=chase&rays=1&trails=0');
    expect(formatDeepLink({ ...base, rays: false, trails: true })).not.toMatch(/rays|trails/);
  });
});

describe('deep links: the gimbal camera inset', () => {
  it('reads pip=0 (on by default), warns on anything else, and writes pip=0 only when off', () => {
    expect(parseDeepLink('').pip).toBe(true);
    expect(parseDeepLink('?pip=0')).toMatchObject({ pip: false, warnings: [] });
    const bad = parseDeepLink('?pip=maybe');
    expect(bad.pip).toBe(true);
    expect(bad.warnings[0]).toMatch(/^pip=maybe: expected 1 or 0/);
    const base = { scenario: 'gimbal-hover-light', seed: 1, backend: 'rapier' as const, speed: 8, camera: 'orbit' as const };
    expect(formatDeepLink({ ...base, pip: false })).toBe('?scenario=gimbal-hover-light&seed=1&backend=rapier&speed=8&pip=0');
    expect(formatDeepLink({ ...base, pip: true })).not.toMatch(/pip/);
  });
});

describe('deep links: the airspace zones', () => {
  it('reads zones=0 (on by default), warns on anything else, and writes zones=0 only when off', () => {
    expect(parseDeepLink('').zones).toBe(true);
    expect(parseDeepLink('?zones=0')).toMatchObject({ zones: false, warnings: [] });
    const bad = parseDeepLink('?zones=off');
    expect(bad.zones).toBe(true);
    expect(bad.warnings[0]).toMatch(/^zones=off: expected 1 or 0/);
    const base = { scenario: 'airspace-airport-circle', seed: 1, backend: 'rapier' as const, speed: 4, camera: 'orbit' as const };
    expect(formatDeepLink({ ...base, zones: false })).toBe('?scenario=airspace-airport-circle&seed=1&backend=rapier&speed=4&zones=0');
    expect(formatDeepLink({ ...base, zones: true })).not.toMatch(/zones/);
  });
});
