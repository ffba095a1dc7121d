import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../sim/math.ts';
import { Rng } from '../../../sim/rng.ts';
import { DiscreteGust } from '../../../uav/wind/gust.ts';
import { WindField } from '../../../uav/wind/wind-field.ts';

describe('discrete 1 - cos gust', () => {
  const g = new DiscreteGust({ startS: 10, durationS: 4, amplitudeMps: 6, direction: [0, 2, 0] });

  it('peaks at its amplitude at mid-duration', () => {
    expect(g.speedAt(12)).toBeCloseTo(6, 12);
    for (let t = 10; t <= 14; t += 0.01) expect(g.speedAt(t)).toBeLessThanOrEqual(6 + 1e-12);
    // (A/2)(1 - cos(pi/2)) = A/2 at a quarter of the duration
    expect(g.speedAt(11)).toBeCloseTo(3, 12);
  });

  it('is zero before it starts and after it ends, and continuous at both ends', () => {
    for (const t of [-5, 0, 9.999, 10, 14, 14.001, 100]) expect(g.speedAt(t)).toBeCloseTo(0, 6);
    expect(g.speedAt(10.001)).toBeLessThan(1e-4);
    expect(g.speedAt(13.999)).toBeLessThan(1e-4);
  });

  it('blows along its (normalised) direction, on top of the steady wind', () => {
    const f = new WindField({ steadyMps: [1, 0, 0], gusts: [{ startS: 10, durationS: 4, amplitudeMps: 6, direction: [0, 2, 0] }] }, Rng.stream(1, 'wind'));
    const out: Vec3 = [0, 0, 0];
    expect(f.probe('a').sample(12, [0, 0, 20], 5, out)).toEqual([1, 6, 0]);
    expect(f.deterministic(20, out)).toEqual([1, 0, 0]);
  });

  it("the MIL-F-8785C 'ramp' form rises over its length and then holds the amplitude", () => {
    const r = new DiscreteGust({ startS: 0, durationS: 2, amplitudeMps: 5, direction: [1, 0, 0], shape: 'ramp' });
    expect(r.speedAt(0)).toBe(0);
    expect(r.speedAt(1)).toBeCloseTo(2.5, 12);
    expect(r.speedAt(2)).toBeCloseTo(5, 12);
    expect(r.speedAt(50)).toBe(5);
  });

  it('rejects a zero direction or duration', () => {
    expect(() => new DiscreteGust({ startS: 0, durationS: 1, amplitudeMps: 1, direction: [0, 0, 0] })).toThrow(/direction/);
    expect(() => new DiscreteGust({ startS: 0, durationS: 0, amplitudeMps: 1, direction: [1, 0, 0] })).toThrow(/durationS/);
  });
});
