/** WGS84 to local ENU through GeographicLib: known distances, bearings and round trips. */
import { describe, expect, it } from 'vitest';
import { LocalFrame } from '../../../uav/geo/local-frame.ts';

describe('LocalFrame (azimuthal equidistant about the origin, GeographicLib)', () => {
  it('one degree of latitude north of the equator is 110,574.389 m north (the WGS84 meridian arc)', () => {
    const f = new LocalFrame({ latDeg: 0, lonDeg: 0, altM: 0 });
    const [e, n, u] = f.toEnu({ latDeg: 1, lonDeg: 0, altM: 12 });
    expect(e).toBeCloseTo(0, 6);
    expect(n).toBeCloseTo(110574.389, 3);
    expect(u).toBe(12);
  });

  it('one degree of longitude on the equator is 111,319.491 m east (a = 6,378,137 m)', () => {
    const [e, n] = new LocalFrame({ latDeg: 0, lonDeg: 0, altM: 0 }).toEnu({ latDeg: 0, lonDeg: 1, altM: 0 });
    expect(e).toBeCloseTo(111319.491, 3);
    expect(n).toBeCloseTo(0, 6);
  });

  it('round-trips ENU to geodetic and back within a micrometre over a few kilometres', () => {
    const f = new LocalFrame({ latDeg: 31.2304, lonDeg: 121.4737, altM: 4 });
    for (const [e, n, u] of [[0, 0, 0], [1500, -800, 120], [-3000, 2500, 30], [10, 0, 1]] as const) {
      const g = f.toGeodetic(e, n, u);
      const back = f.toEnu(g);
      expect(Math.hypot(back[0] - e, back[1] - n)).toBeLessThan(1e-6);
      expect(back[2]).toBeCloseTo(u, 9);
    }
  });

  it('refuses NaN and out-of-range coordinates with a clear message', () => {
    expect(() => new LocalFrame({ latDeg: 91, lonDeg: 0, altM: 0 })).toThrow(/latitude in \[-90, 90\]/);
    const f = new LocalFrame({ latDeg: 0, lonDeg: 0, altM: 0 });
    expect(() => f.toEnu({ latDeg: NaN, lonDeg: 0, altM: 0 })).toThrow(/latitude/);
    expect(() => f.toEnu({ latDeg: 0, lonDeg: 181, altM: 0 })).toThrow(/longitude/);
  });
});
