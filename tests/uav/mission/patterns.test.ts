/** UAV mission geometry: lawnmower survey, loiter circle, geodetic waypoints. */
import { describe, expect, it } from 'vitest';
import { LocalFrame } from '../../../uav/geo/local-frame.ts';
import { loiterCircle, pathLengthM, surveyPattern, waypointsEnu } from '../../../uav/mission/patterns.ts';

describe('surveyPattern (boustrophedon)', () => {
  it('covers a 100 x 40 m rectangle with legs 10 m apart, alternating, half a spacing in from the edges', () => {
    const wp = surveyPattern({ min: [0, 0], max: [100, 40], altitudeM: 30, spacingM: 10 });
    expect(wp).toHaveLength(8); // 4 legs
    expect(wp.map((p) => p[1])).toEqual([5, 5, 15, 15, 25, 25, 35, 35]);
    expect(wp.map((p) => p[0])).toEqual([0, 100, 100, 0, 0, 100, 100, 0]);
    expect(wp.every((p) => p[2] === 30)).toBe(true);
    // 4 legs of 100 m and 3 turns of 10 m.
    expect(pathLengthM(wp)).toBeCloseTo(430, 9);
  });

  it('runs legs along y on request, and refuses an empty rectangle', () => {
    const wp = surveyPattern({ min: [0, 0], max: [20, 50], altitudeM: 10, spacingM: 10, legHeadingDeg: 90 });
    expect(wp.map((p) => p[0])).toEqual([5, 5, 15, 15]);
    expect(() => surveyPattern({ min: [0, 0], max: [0, 10], altitudeM: 10, spacingM: 1 })).toThrow(/max must exceed min/);
  });
});

describe('loiterCircle', () => {
  it('puts every point on the circle, counter-clockwise for positive turns, closing the loop', () => {
    const c = loiterCircle([10, -5], 20, 40, 1, 32);
    expect(c).toHaveLength(33);
    for (const p of c) expect(Math.hypot(p[0] - 10, p[1] + 5)).toBeCloseTo(20, 9);
    expect(c[1]![1]).toBeGreaterThan(c[0]![1]); // counter-clockwise from east: y increases first
    expect(c[32]![0]).toBeCloseTo(c[0]![0], 9);
    // The polygon's perimeter is within the chord error of 2 pi r.
    expect(pathLengthM(c) / (2 * Math.PI * 20)).toBeGreaterThan(0.995);
    expect(loiterCircle([0, 0], 5, 10, -1, 8)[1]![1]).toBeLessThan(0);
  });
});

describe('waypointsEnu', () => {
  it('takes local points as they are and geodetic ones through the frame', () => {
    const f = new LocalFrame({ latDeg: 0, lonDeg: 0, altM: 100 });
    const w = waypointsEnu([{ enuM: [1, 2, 3] }, { geo: { latDeg: 0.001, lonDeg: 0, altM: 130 } }], f);
    expect(w[0]).toEqual([1, 2, 3]);
    expect(w[1]![1]).toBeCloseTo(110.574, 2);
    expect(w[1]![2]).toBe(30);
    expect(() => waypointsEnu([{ geo: { latDeg: 0, lonDeg: 0, altM: 0 } }])).toThrow(/no local frame origin/);
  });
});
