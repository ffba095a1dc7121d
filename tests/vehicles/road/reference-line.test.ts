import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/rng.ts';
import { chainPlan } from '../../../vehicles/road/builders.ts';
import { newRoadPose, type GeometryDescriptor } from '../../../vehicles/road/geometry.ts';
import { newFrenetPoint, ReferenceLine, ReferenceLineError } from '../../../vehicles/road/reference-line.ts';

const line = (s: number, x: number, y: number, h: number, len: number): GeometryDescriptor => ({ type: 'line', s, x, y, headingRad: h, lengthM: len });

/** Road coordinates -> world -> road coordinates, over random (s, t) inside the band |t| < maxT. */
function roundTrip(ref: ReferenceLine, maxT: number, seed: number): number {
  const rng = Rng.stream(seed, 'road/round-trip');
  const p = newRoadPose();
  const f = newFrenetPoint();
  let worst = 0;
  for (let i = 0; i < 400; i++) {
    const s = rng.uniform(0.01, ref.lengthM - 0.01);
    const t = rng.uniform(-maxT, maxT);
    ref.toWorld(s, t, p);
    ref.project(p.x, p.y, f);
    expect(f.inRange).toBe(true);
    worst = Math.max(worst, Math.abs(f.s - s), Math.abs(f.t - t));
  }
  return worst;
}

describe('reference line', () => {
  it('chains primitives and evaluates each at its own s', () => {
    const ref = ReferenceLine.fromDescriptors(chainPlan({ x: 0, y: 0, headingRad: 0 }, [
      { type: 'line', lengthM: 10 },
      { type: 'arc', lengthM: (Math.PI / 2) * 20, curvature: 1 / 20 },
    ]));
    expect(ref.lengthM).toBeCloseTo(10 + 10 * Math.PI, 12);
    const p = ref.poseAt(ref.lengthM, newRoadPose());
    expect(p.x).toBeCloseTo(30, 10);
    expect(p.y).toBeCloseTo(20, 10);
    expect(p.headingRad).toBeCloseTo(Math.PI / 2, 14);
  });

  it('refuses a joint that misses the previous end by more than 1e-6 m', () => {
    expect(() => ReferenceLine.fromDescriptors([line(0, 0, 0, 0, 10), line(10, 10, 2e-6, 0, 10)])).toThrow(ReferenceLineError);
    expect(() => ReferenceLine.fromDescriptors([line(0, 0, 0, 0, 10), line(10, 10, 2e-6, 0, 10)])).toThrow(/geometry 1 \(line\).*2\.000e-6 m.*within 1e-6 m/);
    expect(() => ReferenceLine.fromDescriptors([line(0, 0, 0, 0, 10), line(10, 10, 5e-7, 0, 10)])).not.toThrow();
  });

  it('refuses a heading kink above 1e-9 rad and accepts one below', () => {
    expect(() => ReferenceLine.fromDescriptors([line(0, 0, 0, 0, 10), line(10, 10, 0, 1e-8, 10)])).toThrow(/heading jumps by 1\.000e-8 rad/);
    expect(() => ReferenceLine.fromDescriptors([line(0, 0, 0, 0, 10), line(10, 10, 0, 1e-10, 10)])).not.toThrow();
    // Headings are compared modulo 2 pi.
    expect(() => ReferenceLine.fromDescriptors([line(0, 0, 0, Math.PI, 10), line(10, -10, 0, -Math.PI, 10)])).not.toThrow();
  });

  it('refuses gaps in s and a start other than s = 0', () => {
    expect(() => ReferenceLine.fromDescriptors([line(0, 0, 0, 0, 10), line(11, 10, 0, 0, 10)])).toThrow(/starts at s=11, but the previous one ends at s=10/);
    expect(() => ReferenceLine.fromDescriptors([line(5, 0, 0, 0, 10)])).toThrow(/must start at s=0/);
  });

  it('round-trips (s, t) -> world -> (s, t) within 1e-6 on a line', () => {
    const ref = ReferenceLine.fromDescriptors([line(0, 3, -4, 0.7, 250)]);
    expect(roundTrip(ref, 20, 1)).toBeLessThan(1e-9);
  });

  it('round-trips within 1e-6 on arcs turning either way, inside the radius', () => {
    for (const k of [1 / 30, -1 / 30]) {
      const ref = ReferenceLine.fromDescriptors(chainPlan({ x: 0, y: 0, headingRad: 1 }, [{ type: 'arc', lengthM: 150, curvature: k }]));
      expect(roundTrip(ref, 20, 2)).toBeLessThan(1e-6);
    }
  });

  it('round-trips within 1e-6 on a spiral-arc-spiral curve between lines', () => {
    const ref = ReferenceLine.fromDescriptors(chainPlan({ x: 10, y: 10, headingRad: -0.4 }, [
      { type: 'line', lengthM: 40 },
      { type: 'spiral', lengthM: 60, curvStart: 0, curvEnd: 1 / 50 },
      { type: 'arc', lengthM: 40, curvature: 1 / 50 },
      { type: 'spiral', lengthM: 60, curvStart: 1 / 50, curvEnd: -1 / 80 },
      { type: 'line', lengthM: 30 },
    ]));
    expect(roundTrip(ref, 15, 3)).toBeLessThan(1e-6);
  });

  it('projects to the nearer branch of a road that doubles back', () => {
    // A hairpin: out along y = 0, a half circle of radius 30, back along y = 60.
    const ref = ReferenceLine.fromDescriptors(chainPlan({ x: 0, y: 0, headingRad: 0 }, [
      { type: 'line', lengthM: 100 },
      { type: 'arc', lengthM: 30 * Math.PI, curvature: 1 / 30 },
      { type: 'line', lengthM: 100 },
    ]));
    const f = ref.project(50, 45, newFrenetPoint());
    expect(f.s).toBeCloseTo(100 + 30 * Math.PI + 50, 9);
    expect(f.t).toBeCloseTo(15, 9);
    ref.project(50, 14, f);
    expect(f.s).toBeCloseTo(50, 9);
    expect(f.t).toBeCloseTo(14, 9);
  });

  it('flags a point beyond the end and reports its distance to the end point', () => {
    const ref = ReferenceLine.fromDescriptors([line(0, 0, 0, 0, 100)]);
    const f = ref.project(110, 2, newFrenetPoint());
    expect(f.inRange).toBe(false);
    expect(f.s).toBe(100);
    expect(f.t).toBeCloseTo(2, 12);
    expect(f.distanceM).toBeCloseTo(Math.hypot(10, 2), 12);
    ref.project(-5, -1, f);
    expect(f.inRange).toBe(false);
    expect(f.s).toBe(0);
  });
});
