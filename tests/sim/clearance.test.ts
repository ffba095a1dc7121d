import { describe, expect, it } from 'vitest';
import type { ActorPart } from '../../sim/actor.ts';
import { newPrism, prismDistance, prismLowerBound, prismOf } from '../../sim/geometry/clearance.ts';
import { Rng } from '../../sim/rng.ts';
import { quatFromYaw, type Vec3 } from '../../sim/math.ts';

const at = (part: ActorPart, p: Vec3, yawRad = 0) => prismOf(part, p, quatFromYaw(yawRad), newPrism());
const box = (hx: number, hy: number, hz: number): ActorPart => ({ shape: { type: 'box', halfExtents: [hx, hy, hz] }, offset: { position: [0, 0, 0], rotation: [0, 0, 0, 1] } });
const cyl = (r: number, hz: number): ActorPart => ({ shape: { type: 'cylinder', radius: r, halfHeight: hz }, offset: { position: [0, 0, 0], rotation: [0, 0, 0, 1] } });

describe('prism clearance', () => {
  it('box to box, side by side', () => {
    expect(prismDistance(at(box(1, 1, 1), [0, 0, 1]), at(box(1, 1, 1), [3, 0, 1]))).toBeCloseTo(1, 12);
  });

  it('box rotated 45 degrees: the corner is closest', () => {
    // Corner of the rotated unit-half box reaches x = sqrt(2).
    expect(prismDistance(at(box(1, 1, 1), [0, 0, 1], Math.PI / 4), at(box(1, 1, 1), [4, 0, 1]))).toBeCloseTo(3 - Math.SQRT2, 12);
  });

  it('diagonal boxes: corner to corner', () => {
    expect(prismDistance(at(box(1, 1, 1), [0, 0, 1]), at(box(1, 1, 1), [3, 3, 1]))).toBeCloseTo(Math.SQRT2, 12);
  });

  it('overlapping footprints give 0', () => {
    expect(prismDistance(at(box(1, 1, 1), [0, 0, 1]), at(box(1, 1, 1), [1.5, 0.5, 1], 0.3))).toBe(0);
  });

  it('cylinder to box and cylinder to cylinder', () => {
    expect(prismDistance(at(cyl(0.5, 1), [3, 0, 1]), at(box(1, 1, 1), [0, 0, 1]))).toBeCloseTo(1.5, 12);
    expect(prismDistance(at(cyl(0.5, 1), [0, 0, 1]), at(cyl(0.25, 1), [0, 2, 1]))).toBeCloseTo(1.25, 12);
    expect(prismDistance(at(cyl(0.5, 1), [0.2, 0.2, 1]), at(box(1, 1, 1), [0, 0, 1]))).toBe(0);
  });

  it('vertical gap combines with the horizontal one', () => {
    // Box top at z = 2, cylinder bottom at z = 5; horizontal gap 4.
    expect(prismDistance(at(box(1, 1, 1), [0, 0, 1]), at(cyl(1, 1), [6, 0, 6]))).toBeCloseTo(5, 12);
  });

  it('the cheap lower bound never exceeds the exact distance (it only prunes)', () => {
    const rng = Rng.stream(9, 'bound');
    for (let i = 0; i < 2000; i++) {
      const pa = rng.next() < 0.5 ? box(rng.uniform(0.1, 1), rng.uniform(0.1, 1), 0.5) : cyl(rng.uniform(0.1, 1), 0.5);
      const pb = rng.next() < 0.5 ? box(rng.uniform(0.1, 1), rng.uniform(0.1, 1), 0.5) : cyl(rng.uniform(0.1, 1), 0.5);
      const a = at(pa, [rng.uniform(-3, 3), rng.uniform(-3, 3), rng.uniform(0, 2)], rng.uniform(-3, 3));
      const b = at(pb, [rng.uniform(-3, 3), rng.uniform(-3, 3), rng.uniform(0, 2)], rng.uniform(-3, 3));
      expect(prismLowerBound(a, b)).toBeLessThanOrEqual(prismDistance(a, b) + 1e-12);
    }
  });
});
