import { describe, expect, it } from 'vitest';
import { ArcGeometry } from '../../../vehicles/road/arc.ts';
import { geometryFrom, newRoadPose } from '../../../vehicles/road/geometry.ts';
import { LineGeometry } from '../../../vehicles/road/line.ts';
import { gaussLegendre } from '../../../vehicles/road/quadrature.ts';
import { SpiralGeometry } from '../../../vehicles/road/spiral.ts';

// Normalised Fresnel integrals C(z) = int_0^z cos(pi t^2 / 2) dt, S likewise
// (mpmath fresnelc/fresnels at 25 digits; Abramowitz & Stegun table 7.7 agrees to its 7).
const C1 = 0.7798934003768228;
const S1 = 0.4382591473903548;
const C5 = 0.5636311887040122;
const S5 = 0.4991913819171169;

describe('line', () => {
  it('runs along its heading', () => {
    const p = new LineGeometry(10, 1, 2, Math.PI / 6, 50).poseAt(30, newRoadPose());
    expect(p.x).toBeCloseTo(1 + 20 * Math.cos(Math.PI / 6), 12);
    expect(p.y).toBeCloseTo(2 + 20 * Math.sin(Math.PI / 6), 12);
    expect(p.headingRad).toBe(Math.PI / 6);
    expect(p.curvature).toBe(0);
  });
});

describe('arc', () => {
  it('ends at the centre plus the radius rotated by the swept angle', () => {
    const r = 40;
    const h0 = 0.3;
    const len = 55;
    for (const sign of [1, -1]) {
      const arc = new ArcGeometry(0, 5, -7, h0, len, sign / r);
      // Centre of curvature: a radius to the left (right for negative curvature) of the start.
      const cx = 5 - sign * r * Math.sin(h0);
      const cy = -7 + sign * r * Math.cos(h0);
      const swept = (sign * len) / r;
      const p = arc.poseAt(len, newRoadPose());
      const ang0 = Math.atan2(-7 - cy, 5 - cx);
      expect(p.x).toBeCloseTo(cx + r * Math.cos(ang0 + swept), 10);
      expect(p.y).toBeCloseTo(cy + r * Math.sin(ang0 + swept), 10);
      expect(p.headingRad).toBeCloseTo(h0 + swept, 14);
      expect(Math.hypot(p.x - cx, p.y - cy)).toBeCloseTo(r, 10);
    }
  });

  it('tends to a line as the curvature goes to zero, without cancellation', () => {
    const p = new ArcGeometry(0, 0, 0, 0, 100, 1e-12).poseAt(100, newRoadPose());
    expect(p.x).toBeCloseTo(100, 10);
    expect(p.y).toBeCloseTo(0.5e-12 * 100 * 100, 15);
  });
});

describe('spiral (clothoid)', () => {
  it('Gauss-Legendre weights sum to 2 and integrate x^18 exactly', () => {
    const { nodes, weights } = gaussLegendre(10);
    let sw = 0;
    let s18 = 0;
    for (let i = 0; i < 10; i++) {
      sw += weights[i]!;
      s18 += weights[i]! * nodes[i]! ** 18;
    }
    expect(sw).toBeCloseTo(2, 14);
    expect(s18).toBeCloseTo(2 / 19, 14);
  });

  it('from zero curvature, ends at (C(1), S(1)) for curvature rate pi over 1 m, to 1e-13', () => {
    const p = new SpiralGeometry(0, 0, 0, 0, 1, 0, Math.PI).poseAt(1, newRoadPose());
    expect(Math.abs(p.x - C1)).toBeLessThan(1e-13);
    expect(Math.abs(p.y - S1)).toBeLessThan(1e-13);
    expect(p.headingRad).toBeCloseTo(Math.PI / 2, 14);
  });

  it('scales: a = 40 m, L = 5a ends at a*(C(5), S(5)) to 1e-13 relative', () => {
    // heading = pi u^2 / (2 a^2): curvature rate pi / a^2 over 5a.
    const a = 40;
    const sp = new SpiralGeometry(0, 0, 0, 0, 5 * a, 0, (Math.PI * 5 * a) / (a * a));
    const p = sp.poseAt(5 * a, newRoadPose());
    expect(Math.abs(p.x - a * C5) / (5 * a)).toBeLessThan(1e-13);
    expect(Math.abs(p.y - a * S5) / (5 * a)).toBeLessThan(1e-13);
  });

  it('has curvature linear in s and heading its integral', () => {
    const sp = new SpiralGeometry(100, 3, 4, 0.2, 80, 0.01, -0.02);
    const p = newRoadPose();
    for (let u = 0; u <= 80; u += 8) {
      sp.poseAt(100 + u, p);
      expect(p.curvature).toBeCloseTo(0.01 + (-0.03 / 80) * u, 14);
      expect(p.headingRad).toBeCloseTo(0.2 + 0.01 * u + 0.5 * (-0.03 / 80) * u * u, 13);
    }
  });

  it('with equal end curvatures is the arc of that curvature', () => {
    const sp = new SpiralGeometry(0, 1, 1, 1, 70, 0.02, 0.02);
    const arc = new ArcGeometry(0, 1, 1, 1, 70, 0.02);
    const a = newRoadPose();
    const b = newRoadPose();
    for (let s = 0; s <= 70; s += 7) {
      sp.poseAt(s, a);
      arc.poseAt(s, b);
      expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeLessThan(1e-12);
    }
  });

  it('is continuous across its internal panels', () => {
    const sp = geometryFrom({ type: 'spiral', s: 0, x: 0, y: 0, headingRad: 0, lengthM: 100, curvStart: 0, curvEnd: 0.1 });
    const a = newRoadPose();
    const b = newRoadPose();
    // Panels are at most 0.5 rad of turn: 100 m * 0.1 / 0.5 = 20 panels of 5 m.
    for (let s = 5; s < 100; s += 5) {
      sp.poseAt(s - 1e-9, a);
      sp.poseAt(s + 1e-9, b);
      expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeLessThan(3e-9);
    }
  });

  it('rejects a non-positive length', () => {
    expect(() => geometryFrom({ type: 'line', s: 0, x: 0, y: 0, headingRad: 0, lengthM: 0 })).toThrow(/length must be positive/);
  });
});
