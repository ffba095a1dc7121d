import { describe, expect, it } from 'vitest';
import type { ActorPart } from '../../sim/actor.ts';
import { newPrism, prismDistance, prismLowerBound, prismOf } from '../../sim/geometry/clearance.ts';
import { Rng } from '../../sim/rng.ts';
import { quatFromEuler, quatFromYaw, type Quat, type Vec3 } from '../../sim/math.ts';

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

  describe('tilted cylinders use their true axis', () => {
    const S = Math.SQRT1_2;
    // A car wheel: cylinder z rotated +90 deg about x, so its axis is along body y.
    const wheel = (r: number, hw: number, rot: Quat = [S, 0, 0, S]): ActorPart => ({ shape: { type: 'cylinder', radius: r, halfHeight: hw }, offset: { position: [0, 0, 0], rotation: rot } });

    it('a horizontal (wheel-like) cylinder is a 2h x 2r rectangle between cz - r and cz + r', () => {
      const w = at(wheel(0.3, 0.1), [0, 0, 0.3]);
      expect(w.circle).toBe(false);
      expect(w.zMin).toBeCloseTo(0, 12);
      expect(w.zMax).toBeCloseTo(0.6, 12);
      // Axis along y: the footprint spans x in [-0.3, 0.3], y in [-0.1, 0.1].
      expect(Math.max(...w.xs)).toBeCloseTo(0.3, 12);
      expect(Math.min(...w.ys)).toBeCloseTo(-0.1, 12);
      // Beside a box along y: gap from the wheel's face (y = 0.1), not from a disc of radius 0.3.
      expect(prismDistance(w, at(box(0.5, 0.5, 0.3), [0, 1.6, 0.3]))).toBeCloseTo(1.0, 12);
      // Along x: gap from the tread (x = 0.3).
      expect(prismDistance(w, at(box(0.5, 0.5, 0.3), [1.8, 0, 0.3]))).toBeCloseTo(1.0, 12);
      // Corner to corner, diagonal: rectangle corner (0.3, 0.1) to box corner (1.3, 1.1).
      expect(prismDistance(w, at(box(0.5, 0.5, 0.3), [1.8, 1.6, 0.3]))).toBeCloseTo(Math.SQRT2, 12);
    });

    it('the wheel turns with the car: yaw 90 deg puts its axis along x', () => {
      const w = at(wheel(0.3, 0.1), [0, 0, 0.3], Math.PI / 2);
      expect(prismDistance(w, at(box(0.5, 0.5, 0.3), [1.6, 0, 0.3]))).toBeCloseTo(1.0, 12);
      expect(prismDistance(w, at(box(0.5, 0.5, 0.3), [0, 1.8, 0.3]))).toBeCloseTo(1.0, 12);
    });

    it('a box above the wheel sees its top at cz + r, not cz + halfHeight', () => {
      // Box bottom at z = 1.0; wheel top at 0.6 (an upright disc would say 0.4).
      expect(prismDistance(at(wheel(0.3, 0.1), [0, 0, 0.3]), at(box(0.5, 0.5, 0.1), [0, 0, 1.1]))).toBeCloseTo(0.4, 12);
    });

    it('a general tilt is bounded conservatively (the prism contains the cylinder)', () => {
      const rng = Rng.stream(11, 'tilt');
      for (let i = 0; i < 200; i++) {
        const r = rng.uniform(0.1, 1), h = rng.uniform(0.1, 1);
        const q = quatFromEuler(rng.uniform(-3, 3), rng.uniform(-1.5, 1.5), rng.uniform(-3, 3));
        const p = at(wheel(r, h, q), [0, 0, 2]);
        // Sample points on the cylinder's rims: every one lies in the prism.
        const R = (v: Vec3): Vec3 => {
          const [x, y, z, w] = q;
          const tx = 2 * (y * v[2] - z * v[1]), ty = 2 * (z * v[0] - x * v[2]), tz = 2 * (x * v[1] - y * v[0]);
          return [v[0] + w * tx + (y * tz - z * ty), v[1] + w * ty + (z * tx - x * tz), v[2] + w * tz + (x * ty - y * tx)];
        };
        for (let k = 0; k < 16; k++) {
          const th = (k / 16) * 2 * Math.PI;
          for (const sz of [-h, h]) {
            const [x, y, z] = R([r * Math.cos(th), r * Math.sin(th), sz]);
            const pt = at(box(1e-9, 1e-9, 1e-9), [x, y, z + 2]);
            expect(prismDistance(p, pt)).toBeLessThan(1e-6);
          }
        }
      }
    });

    it('an upright cylinder is still a disc', () => {
      expect(at(cyl(0.5, 1), [0, 0, 1], 0.7).circle).toBe(true);
    });
  });
});
